/**
 * Host-simulated devices behind the libos device SPI. Subpackages: {@code net} (links, switch,
 * TAP, gateway) and {@code block} (file and memory block devices, fault injection).
 */
package dev.libos.hw.hosted;
