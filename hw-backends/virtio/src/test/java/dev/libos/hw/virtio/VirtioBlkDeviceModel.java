package dev.libos.hw.virtio;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * The device side of virtio-blk for tests: a {@link VirtqueueDeviceModel} on the request queue
 * and a disk in a byte array. It serves requests when told to ({@link #serveAll}), and
 * misbehaves on demand: sectors that fail with IOERR, request types answered UNSUPP, a stall
 * (requests are popped or not, but never completed), a wrong used length.
 */
final class VirtioBlkDeviceModel {
    final byte[] disk;
    final Set<Long> failingSectors = new HashSet<>();
    final Set<Integer> unsupportedTypes = new HashSet<>();
    /** While true, {@link #serveAll} does nothing: the device has stalled. */
    boolean stalled;
    /** When non-negative, every completion reports this used length instead of the true one. */
    int lengthOverride = -1;
    /** When non-negative, every completion carries this status byte. */
    int statusOverride = -1;
    /** The id string GET_ID returns (raw bytes, at most 20 used); null: GET_ID is UNSUPP. */
    byte[] id;
    int served;
    int flushes;
    private VirtqueueDeviceModel queue;

    VirtioBlkDeviceModel(int sectors) {
        disk = new byte[sectors * VirtioBlkConfig.SECTOR_BYTES];
    }

    /** Puts the model on the queue the driver set up through {@code transport}, and its capacity in config. */
    void attach(FakeVirtioTransport transport) {
        var setup = transport.queues.get(VirtioBlkConfig.REQUEST_QUEUE);
        attach(setup.size(), setup.descriptorTable(), setup.availRing(), setup.usedRing(),
                VirtioFeatures.has(transport.driverFeatures, VirtioFeatures.RING_EVENT_IDX));
    }

    /** Puts the model on a request queue at these (identity) device addresses. */
    void attach(int size, long descriptorTable, long availRing, long usedRing, boolean eventIndex) {
        queue = new VirtqueueDeviceModel(size,
                MemorySegment.ofAddress(descriptorTable).reinterpret(VirtqueueDescriptor.descriptorTableBytes(size)),
                MemorySegment.ofAddress(availRing).reinterpret(VirtqueueDescriptor.availRingBytes(size)),
                MemorySegment.ofAddress(usedRing).reinterpret(VirtqueueDescriptor.usedRingBytes(size)), eventIndex);
    }

    boolean attached() {
        return queue != null;
    }

    /** Serves every published request; returns how many. */
    int serveAll() {
        if (stalled || queue == null) {
            return 0;
        }
        int count = 0;
        for (var chain = queue.pop(); chain != null; chain = queue.pop()) {
            serve(chain);
            count++;
        }
        return count;
    }

    private void serve(VirtqueueDeviceModel.Chain chain) {
        served++;
        var buffers = chain.buffers();
        ByteBuffer header = ByteBuffer.wrap(buffers.get(0).memory().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .order(ByteOrder.LITTLE_ENDIAN);
        int type = header.getInt(VirtioBlkConfig.HEADER_TYPE_OFFSET);
        long sector = header.getLong(VirtioBlkConfig.HEADER_SECTOR_OFFSET);
        MemorySegment status = buffers.get(buffers.size() - 1).memory();
        int written = 1;
        int result;
        if (unsupportedTypes.contains(type)) {
            result = VirtioBlkConfig.STATUS_UNSUPP;
        } else if (type == VirtioBlkConfig.TYPE_GET_ID) {
            if (id == null) {
                result = VirtioBlkConfig.STATUS_UNSUPP;
            } else {
                // Like QEMU: copy the id (NUL-terminated when it fits), report the whole buffer written.
                MemorySegment data = buffers.get(1).memory();
                data.fill((byte) 0);
                MemorySegment.copy(MemorySegment.ofArray(id), 0, data, 0, Math.min(id.length, data.byteSize()));
                written += (int) data.byteSize();
                result = VirtioBlkConfig.STATUS_OK;
            }
        } else if (type == VirtioBlkConfig.TYPE_FLUSH) {
            flushes++;
            result = VirtioBlkConfig.STATUS_OK;
        } else {
            MemorySegment data = buffers.get(1).memory();
            long bytes = data.byteSize();
            long offset = sector * VirtioBlkConfig.SECTOR_BYTES;
            boolean fails = false;
            for (long s = sector; s < sector + bytes / VirtioBlkConfig.SECTOR_BYTES; s++) {
                fails |= failingSectors.contains(s);
            }
            if (fails || offset + bytes > disk.length) {
                result = VirtioBlkConfig.STATUS_IOERR;
            } else if (type == VirtioBlkConfig.TYPE_IN) {
                MemorySegment.copy(MemorySegment.ofArray(disk), offset, data, 0, bytes);
                written += (int) bytes;
                result = VirtioBlkConfig.STATUS_OK;
            } else if (type == VirtioBlkConfig.TYPE_OUT) {
                MemorySegment.copy(data, 0, MemorySegment.ofArray(disk), offset, bytes);
                result = VirtioBlkConfig.STATUS_OK;
            } else {
                result = VirtioBlkConfig.STATUS_UNSUPP;
            }
        }
        status.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) (statusOverride >= 0 ? statusOverride : result));
        queue.complete(chain, lengthOverride >= 0 ? lengthOverride : written);
    }

    /** Pops every published request and keeps it: a device that accepted work and went silent. */
    java.util.List<VirtqueueDeviceModel.Chain> popAndHold() {
        var held = new java.util.ArrayList<VirtqueueDeviceModel.Chain>();
        for (var chain = queue.pop(); chain != null; chain = queue.pop()) {
            held.add(chain);
        }
        return held;
    }

    /** Completes a held request late, with status OK. */
    void completeLate(VirtqueueDeviceModel.Chain chain) {
        var buffers = chain.buffers();
        buffers.get(buffers.size() - 1).memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0);
        queue.complete(chain, (int) chain.writableBytes());
    }
}
