package dev.libos.hw.hosted.net;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Test frames: Ethernet headers with a sequence number after them, and a receive helper. */
final class Frames {
    private Frames() {
    }

    static long mac(NetDevice device) {
        long v = 0;
        for (byte b : device.macAddress()) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    /** A frame of {@code length} bytes from {@code from} to {@code to} carrying {@code sequence}. */
    static byte[] frame(long to, long from, int sequence, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (to >>> (40 - 8 * i));
            f[6 + i] = (byte) (from >>> (40 - 8 * i));
        }
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5; // local experimental EtherType
        if (length >= 18) {
            f[14] = (byte) (sequence >>> 24);
            f[15] = (byte) (sequence >>> 16);
            f[16] = (byte) (sequence >>> 8);
            f[17] = (byte) sequence;
        }
        for (int i = 18; i < length; i++) {
            f[i] = (byte) (i * 7 + sequence);
        }
        return f;
    }

    static int sequence(byte[] frame) {
        return ((frame[14] & 0xFF) << 24) | ((frame[15] & 0xFF) << 16) | ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
    }

    static boolean send(NetDevice from, NetDevice to, int sequence, int length) {
        return from.transmit(MemorySegment.ofArray(frame(mac(to), mac(from), sequence, length)));
    }

    /** Everything {@code device} delivers now, copied. */
    static List<byte[]> drain(NetDevice device) {
        List<byte[]> out = new ArrayList<>();
        while (device.receive(f -> out.add(f.toArray(ValueLayout.JAVA_BYTE)), 64) > 0) {
            // keep going until nothing is due
        }
        return out;
    }
}
