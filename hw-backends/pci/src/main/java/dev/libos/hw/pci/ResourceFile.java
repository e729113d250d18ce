package dev.libos.hw.pci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a sysfs {@code resource} file: one line per resource, three hexadecimal numbers
 * ({@code 0x%016llx} each: start, end, flags) separated by spaces.
 */
final class ResourceFile {
    private ResourceFile() {
    }

    /** Parses {@code content}, read from {@code file} (named in errors). */
    static List<BarResource> parse(String content, Path file) throws MalformedSysfsException {
        List<BarResource> resources = new ArrayList<>();
        String[] lines = content.split("\n");
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                throw new MalformedSysfsException(file, "line " + (index + 1) + " has " + fields.length
                        + " fields, expected start end flags: '" + line + "'");
            }
            long start = SysfsText.parseHex(fields[0], file, "line " + (index + 1) + " start");
            long end = SysfsText.parseHex(fields[1], file, "line " + (index + 1) + " end");
            long flags = SysfsText.parseHex(fields[2], file, "line " + (index + 1) + " flags");
            if (Long.compareUnsigned(end, start) < 0 && !(start == 0 && end == 0)) {
                throw new MalformedSysfsException(file, "line " + (index + 1) + " ends before it starts: '" + line + "'");
            }
            resources.add(new BarResource(resources.size(), start, end, flags));
        }
        return List.copyOf(resources);
    }
}
