/**
 * Suite {@code libs}: libos's hand-written building blocks against the well-kept libraries that
 * do the same job (JCTools, Agrona). {@code impl=libos} is the hand-written class; every other
 * {@code impl} is a library's. docs/architecture.md ("Libraries and what stays hand-written")
 * records which one libos uses and these figures.
 */
package dev.libos.bench.libs;
