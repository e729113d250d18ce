package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * What the libos channels share, the counterpart of {@code AbstractNioChannel}: the socket (opened
 * from the event loop's {@link Network} at registration when the channel was made without one)
 * and the configuration's socket options applied to it, the {@link LibosIoRegistration} and its
 * interest bits, read pending, and the dispatch of {@link LibosIoEvent}s. Everything but the
 * constructors runs on the event loop thread.
 */
abstract class AbstractLibosChannel extends AbstractChannel {
    /** As Netty's NIO TCP channels: no disconnect-then-connect again (that is UDP's), 16 reads per round. */
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    /** The {@link Readiness} bit a read waits for: READ for a connection, ACCEPT for a listener. */
    private final int readBit;
    private volatile SocketEndpoint endpoint;
    private AbstractLibosChannelConfig config;
    private volatile boolean closedBeforeOpen;
    /** The event loop's registration (it wraps the handler's {@link LibosIoRegistration}). */
    private volatile IoRegistration registration;
    /** What was last submitted to the registration; event loop thread only. */
    private int interestBits;
    /** A read was asked for (Channel.read()) and has not delivered anything yet. */
    boolean readPending;

    AbstractLibosChannel(Channel parent, SocketEndpoint endpoint, int readBit) {
        super(parent);
        this.endpoint = endpoint;
        this.readBit = readBit;
    }

    /** Opens this channel's socket from the event loop's network. */
    abstract SocketEndpoint openEndpoint(Network network) throws IOException;

    /**
     * Called once, by the subclass constructor: {@code config}'s socket options go to this
     * channel's socket, at once if it has one, else when the socket is opened at registration.
     */
    final void attachConfig(AbstractLibosChannelConfig config) {
        this.config = config;
        SocketEndpoint e = endpoint;
        if (e != null) {
            config.attach(e);
        }
    }

    /** The socket, or null before the first registration of a channel made without one. */
    final SocketEndpoint endpointOrNull() {
        return endpoint;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected SocketAddress localAddress0() {
        SocketEndpoint e = endpoint;
        return e == null ? null : e.localAddress();
    }

    @Override
    public boolean isOpen() {
        SocketEndpoint e = endpoint;
        return e == null ? !closedBeforeOpen : e.isOpen();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(LibosUnsafe.class);
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((LibosUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                interestBits = 0;
                registration = (IoRegistration) f.getNow();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        IoRegistration r = registration;
        if (r != null) {
            registration = null;
            r.cancel();
        }
    }

    @Override
    protected void doBeginRead() {
        IoRegistration r = registration;
        if (r == null || !r.isValid()) {
            return;
        }
        readPending = true;
        addInterest(readBit);
    }

    @Override
    protected void doClose() throws Exception {
        closedBeforeOpen = true;
        SocketEndpoint e = endpoint;
        if (e != null) {
            e.close();
        }
    }

    /** Adds {@code bits} to the interest of the registration, if it is valid. */
    final void addInterest(int bits) {
        if ((interestBits & bits) != bits) {
            submitInterest(interestBits | bits);
        }
    }

    /** Removes {@code bits} from the interest of the registration, if it is valid. */
    final void removeInterest(int bits) {
        if ((interestBits & bits) != 0) {
            submitInterest(interestBits & ~bits);
        }
    }

    private void submitInterest(int bits) {
        IoRegistration r = registration;
        if (r != null && r.isValid()) {
            interestBits = bits;
            r.submit(LibosIoOps.of(bits));
        }
    }

    final boolean hasInterest(int bits) {
        IoRegistration r = registration;
        return r != null && r.isValid() && (interestBits & bits) != 0;
    }

    /** After AUTO_READ was turned off: forget a pending read and stop waiting for input. */
    final void clearReadPending() {
        if (isRegistered()) {
            EventLoop loop = eventLoop();
            if (loop.inEventLoop()) {
                clearReadPendingNow();
            } else {
                loop.execute(this::clearReadPendingNow);
            }
        } else {
            readPending = false;
        }
    }

    private void clearReadPendingNow() {
        readPending = false;
        removeInterest(readBit);
    }

    /** The unsafe of a libos channel is its {@link LibosIoHandle}. */
    abstract class LibosUnsafe extends AbstractUnsafe implements LibosIoHandle {
        @Override
        public final SocketEndpoint endpoint(Network network) throws IOException {
            SocketEndpoint e = endpoint;
            if (e == null) {
                if (closedBeforeOpen) {
                    throw new ClosedChannelException();
                }
                e = openEndpoint(network);
                endpoint = e;
                config.attach(e);
            }
            return e;
        }

        /** Closes the channel (the handler does this when its event loop shuts down). */
        @Override
        public final void close() {
            close(voidPromise());
        }

        @Override
        public final void handle(IoRegistration ioRegistration, IoEvent event) {
            int ready = ((LibosIoEvent) event).readyBits();
            // The connect finishes before anything is read or written, as in NIO.
            if ((ready & Readiness.CONNECT) != 0) {
                removeInterest(Readiness.CONNECT);
                finishConnect();
            }
            // Writes first: they may free memory that is queued.
            if ((ready & Readiness.WRITE) != 0) {
                forceFlush();
            }
            if ((ready & (Readiness.READ | Readiness.ACCEPT)) != 0) {
                read();
            }
        }

        /** Finishes a pending connect; only a connecting socket channel has one. */
        void finishConnect() {
        }

        /** Reads what the socket has, within the receive allocator's budget. */
        abstract void read();

        @Override
        protected final void flush0() {
            // While WRITE interest is set the socket is known to be full: the handler flushes
            // (forceFlush) when it has room, so a flush now would only write nothing.
            if (!hasInterest(Readiness.WRITE)) {
                super.flush0();
            }
        }

        /** Flushes now; stops waiting for WRITE if nothing is left to write. */
        final void forceFlush() {
            super.flush0();
            ChannelOutboundBuffer out = outboundBuffer();
            if (out == null || out.isEmpty()) {
                removeInterest(Readiness.WRITE);
            }
        }

        /** Only a socket channel connects. */
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("connect on " + AbstractLibosChannel.this));
        }
    }
}
