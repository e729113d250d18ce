# Sourced by ./mvnw and bin/java25: finds a JDK of at least the release pinned in
# .mvn/wrapper.properties (javaRelease). JAVA_HOME wins when it is one; otherwise the newest such
# JDK under /usr/lib/jvm (Debian/Ubuntu packages, Temurin's apt repository) is used.
# Defines libos_jdk ROOT: prints the JDK's home, or explains on stderr and returns 1.

# The feature release of the JDK at $1 (25), empty when it is not a working JDK.
libos_java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

libos_jdk() {
  local root=$1 release jdk v found=""
  release=$(sed -n 's/^javaRelease=//p' "$root/.mvn/wrapper.properties")
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(libos_java_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$release" ] 2>/dev/null; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
  fi
  for jdk in /usr/lib/jvm/*; do
    [ -x "$jdk/bin/javac" ] && [ ! -L "$jdk" ] || continue
    v=$(libos_java_feature "$jdk")
    if [ -n "$v" ] && [ "$v" -ge "$release" ] 2>/dev/null; then
      if [ -z "$found" ] || [ "$v" -gt "$(libos_java_feature "$found")" ]; then found=$jdk; fi
    fi
  done
  if [ -z "$found" ]; then
    echo "libos needs a JDK $release or newer: set JAVA_HOME to one (JAVA_HOME=${JAVA_HOME:-unset}; none under /usr/lib/jvm)" >&2
    return 1
  fi
  printf '%s\n' "$found"
}
