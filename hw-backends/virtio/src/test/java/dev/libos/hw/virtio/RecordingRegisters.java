package dev.libos.hw.virtio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Plain registers in a byte array that record every write (the notify, ISR and device-config windows of tests). */
final class RecordingRegisters implements DeviceRegisters {
    record Write(long offset, int width, int value) {
    }

    final ByteBuffer bytes;
    final List<Write> writes = new ArrayList<>();
    Runnable onWrite = () -> { };

    RecordingRegisters(int size) {
        bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long byteSize() {
        return bytes.capacity();
    }

    @Override
    public int read8(long offset) {
        return Byte.toUnsignedInt(bytes.get((int) offset));
    }

    @Override
    public int read16(long offset) {
        return Short.toUnsignedInt(bytes.getShort((int) offset));
    }

    @Override
    public int read32(long offset) {
        return bytes.getInt((int) offset);
    }

    @Override
    public void write8(long offset, int value) {
        bytes.put((int) offset, (byte) value);
        record(offset, 1, value & 0xff);
    }

    @Override
    public void write16(long offset, int value) {
        bytes.putShort((int) offset, (short) value);
        record(offset, 2, value & 0xffff);
    }

    @Override
    public void write32(long offset, int value) {
        bytes.putInt((int) offset, value);
        record(offset, 4, value);
    }

    private void record(long offset, int width, int value) {
        writes.add(new Write(offset, width, value));
        onWrite.run();
    }
}
