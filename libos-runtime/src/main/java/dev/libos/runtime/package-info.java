/**
 * No code: libos-runtime is the one dependency an ordinary application adds. It brings the kernel
 * ({@code dev.libos.core.Boot} as the jar's main class) and the boot hooks that give the
 * application its OS: libos-hosted (under {@code java -jar}: a LAN like QEMU's user network and
 * the port-forwarding gateway from {@code libos.forwards}), libos-guest (in a VM: disks, volumes,
 * NICs with DHCP) and libos-jvm-net (the JDK's NIO, {@code java.net} sockets and name resolution
 * on the libos network).
 */
package dev.libos.runtime;
