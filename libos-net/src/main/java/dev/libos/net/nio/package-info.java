/**
 * A {@link java.nio.channels.spi.SelectorProvider} over the libos socket API, so unmodified NIO
 * code (plain selector loops, the JDK's HttpServer, Netty's NIO transport) runs on a libos
 * {@link dev.libos.api.net.Network}. Entry point: {@link dev.libos.net.nio.LibosSelectorProvider}.
 */
package dev.libos.net.nio;
