/**
 * A Netty 4.2 transport over the libos socket API ({@link dev.libos.api.net.Network}): an
 * {@link io.netty.channel.IoHandler} ({@link dev.libos.net.netty.LibosIoHandler}) that turns socket
 * readiness into I/O events on the event loop, and the channels {@link
 * dev.libos.net.netty.LibosSocketChannel} and {@link dev.libos.net.netty.LibosServerSocketChannel}.
 * An application switches from NIO by changing its {@code IoHandlerFactory} and channel classes.
 *
 * <p>Netty is an optional dependency of libos-net: only applications that use this package need it.
 */
package dev.libos.net.netty;
