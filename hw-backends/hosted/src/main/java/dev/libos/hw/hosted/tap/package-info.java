/**
 * A TAP network device for hosted runs: {@link dev.libos.hw.hosted.tap.TapDevice} drives a Linux
 * TAP interface through FFM system calls, and {@link dev.libos.hw.hosted.tap.NetworkNamespace}
 * makes the throw-away network namespaces in which it meets the Linux kernel's own stack.
 */
package dev.libos.hw.hosted.tap;
