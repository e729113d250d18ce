package dev.libos.maven.aot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A class list written by a training run ({@code -XX:DumpLoadedClassList}) in an order that does
 * not depend on thread timing, so that {@code -Xshare:dump} builds the same archive from any two
 * trainings that loaded the same classes.
 *
 * <p>The JVM writes classes in load order, and the application's and the JDK's threads load
 * concurrently: two runs list the same classes in another order, and the dump lays out symbols and
 * classes in the order it loads them. Here:
 * <ul>
 *   <li>classes of the built-in loaders ({@code name id: N}, no {@code source:}) come first, sorted
 *       by name, numbered 0, 1, 2...; loading one loads its supertypes first anyway;</li>
 *   <li>classes of other loaders ({@code ... source: ...}) follow in their training order (their
 *       {@code super:} and {@code interfaces:} name earlier ids), renumbered;</li>
 *   <li>the {@code @lambda-proxy} and {@code @lambda-form-invoker} lines follow, sorted, once each;</li>
 *   <li>{@code @cp} lines (constant pool entries the training happened to resolve) are dropped: which
 *       ones a run resolves depends on timing (a thread that parked or spun takes other paths), so
 *       they are the part of a training that differs between runs of the same program.
 *       {@link LinkableEntries} makes them again from the class files.</li>
 * </ul>
 * Comments and blank lines go.
 */
public final class CanonicalClassList {
    private CanonicalClassList() {
    }

    /** The canonical form of a class list's lines. */
    public static List<String> of(List<String> lines) throws IOException {
        TreeSet<String> builtin = new TreeSet<>();
        List<String[]> custom = new ArrayList<>();
        TreeSet<String> directives = new TreeSet<>();
        Map<String, String> builtinIdByOld = new HashMap<>();
        List<String[]> builtinWords = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("@cp ")) {
                continue;
            }
            if (line.startsWith("@")) {
                directives.add(line);
                continue;
            }
            String[] words = line.split(" +");
            if (words.length < 3 || !words[1].equals("id:")) {
                throw new IOException("class list line without 'id:': " + line);
            }
            if (line.contains(" source:")) {
                custom.add(words);
            } else if (words.length == 3) {
                builtin.add(words[0]);
                builtinWords.add(words);
            } else {
                throw new IOException("class list line of a built-in loader with more than a name and an id: " + line);
            }
        }
        List<String> out = new ArrayList<>();
        Map<String, Integer> newIdByName = new HashMap<>();
        for (String name : builtin) {
            newIdByName.put(name, out.size());
            out.add(name + " id: " + out.size());
        }
        for (String[] words : builtinWords) {
            builtinIdByOld.put(words[2], String.valueOf(newIdByName.get(words[0])));
        }
        Map<String, String> idByOld = new HashMap<>(builtinIdByOld);
        int next = out.size();
        for (String[] words : custom) {
            String id = String.valueOf(next++);
            StringBuilder line = new StringBuilder(words[0]).append(" id: ").append(id);
            boolean ids = false;
            for (int i = 3; i < words.length; i++) {
                String word = words[i];
                if (word.endsWith(":")) {
                    ids = word.equals("super:") || word.equals("interfaces:");
                    line.append(' ').append(word);
                } else if (ids) {
                    String mapped = idByOld.get(word);
                    if (mapped == null) {
                        throw new IOException("class list names id " + word + " before defining it: " + String.join(" ", words));
                    }
                    line.append(' ').append(mapped);
                } else {
                    line.append(' ').append(word);
                }
            }
            idByOld.put(words[2], id);
            out.add(line.toString());
        }
        out.addAll(directives);
        return out;
    }
}
