/**
 * TCP (RFC 9293) as pure, single-threaded protocol code with time passed in: {@link
 * dev.libos.net.tcp.TcpConnection} (the state machine and its buffers, timers and congestion
 * control), {@link dev.libos.net.tcp.TcpListener} (bounded SYN backlog, accept queue) and
 * {@link dev.libos.net.tcp.TcpLayer} (the connection table behind the IP layer's
 * {@link dev.libos.net.ip.IpProtocolHandler}). Nothing here reads a clock or blocks.
 */
package dev.libos.net.tcp;
