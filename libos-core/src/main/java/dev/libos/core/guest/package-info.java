/**
 * Guest-side boot: what libos does when the JVM is PID 1 of a VM (started by the kernel with
 * {@code rdinit=}): mount the kernel's file systems, record and print the boot timeline, and
 * power the VM off carrying the application's exit status. {@link dev.libos.core.guest.GuestBoot}
 * is the entry; {@link dev.libos.core.guest.LinuxCalls} the system calls it makes (through FFM).
 */
package dev.libos.core.guest;
