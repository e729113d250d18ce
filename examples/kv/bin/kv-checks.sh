# Checks of a running examples/kv server, shared by kv-hosted-test and vm-kv-test (sourced).
# The sourcing script sets kv_port (and kv_host, default 127.0.0.1) and defines kv_fail MESSAGE
# (prints the server's log and exits 1).
kv_host=${kv_host:-127.0.0.1}

kv_cli() { timeout 60 redis-cli -h "$kv_host" -p "$kv_port" "$@"; }

# expect WHAT EXPECTED ACTUAL
kv_expect() {
  [ "$3" = "$2" ] || kv_fail "$1: expected '$2', got '$3'"
}

# redis-cli, as a user would run it: the commands of the issue and an error reply.
kv_cli_checks() {
  kv_expect "PING" "PONG" "$(kv_cli PING)"
  kv_cli FLUSHALL >/dev/null
  kv_expect "SET" "OK" "$(kv_cli SET greeting hello)"
  kv_expect "GET" "hello" "$(kv_cli GET greeting)"
  kv_expect "INCR" "1" "$(kv_cli INCR visits)"
  kv_expect "INCR again" "2" "$(kv_cli INCR visits)"
  kv_expect "EXPIRE" "1" "$(kv_cli EXPIRE greeting 100)"
  ttl=$(kv_cli TTL greeting)
  { [ "$ttl" -gt 90 ] && [ "$ttl" -le 100 ]; } 2>/dev/null || kv_fail "TTL: expected 91..100, got '$ttl'"
  kv_expect "MSET" "OK" "$(kv_cli MSET a 1 b 2 c 3)"
  kv_expect "MGET" "$(printf '1\n2\n\n3')" "$(kv_cli MGET a b nope c)"
  kv_expect "an unknown command" "ERR unknown command 'NOPE', with args beginning with: 'x' " "$(kv_cli NOPE x)"
  kv_expect "INCR of a string" "ERR value is not an integer or out of range" "$(kv_cli INCR greeting)"
  kv_expect "DBSIZE" "5" "$(kv_cli DBSIZE)"
  echo "$kv_test_name: redis-cli: PING SET GET INCR EXPIRE TTL MSET MGET DBSIZE and error replies as Redis gives them"
}

# A malformed client gets an error reply and is disconnected; a client connected meanwhile is not affected.
kv_malformed_client_checks() {
  exec 4<>"/dev/tcp/$kv_host/$kv_port" || kv_fail "cannot connect a second client"
  printf 'PING\r\n' >&4
  IFS= read -r -t 30 line <&4 || kv_fail "the second client got no PONG"
  kv_expect "second client, before" $'+PONG\r' "$line"
  reply=$(printf '*1\r\n$x\r\n' | timeout 30 nc -q 30 "$kv_host" "$kv_port" | tr -d '\r' || true)
  kv_expect "malformed bulk length" "-ERR Protocol error: invalid bulk length" "$reply"
  # A huge declared length is refused from its header: nothing is reserved, the reply comes at once.
  reply=$(printf '*2\r\n$3\r\nSET\r\n$2147483647\r\n' | timeout 30 nc -q 30 "$kv_host" "$kv_port" | tr -d '\r' || true)
  case $reply in "-ERR Protocol error: invalid bulk length (more than kv.maxBulkBytes="*) ;;
    *) kv_fail "a 2 GiB bulk length: got '$reply'" ;; esac
  printf '*2\r\n$4\r\nECHO\r\n$5\r\nstill\r\n' >&4
  IFS= read -r -t 30 line <&4 && IFS= read -r -t 30 line2 <&4 || kv_fail "the second client got no reply after the malformed ones"
  kv_expect "second client, after" $'$5\r still\r' "$line $line2"
  exec 4>&-
  stats=$(kv_cli INFO stats | tr -d '\r')
  grep -qx "kv_protocol_errors:2" <<<"$stats" || kv_fail "INFO stats does not count 2 protocol errors: $stats"
  grep -qx "kv_limit_refusals:1" <<<"$stats" || kv_fail "INFO stats does not count 1 limit refusal: $stats"
  grep -qx "kv_internal_errors:0" <<<"$stats" || kv_fail "INFO stats counts internal errors: $stats"
  echo "$kv_test_name: malformed clients got their error replies and were closed; another client was served throughout"
}

# redis-benchmark QUIET_ARGS...: runs it, fails on an error or a missing figure, prints its figures.
kv_benchmark() {
  local label=$1; shift
  local out
  local status=0
  out=$(timeout "${KV_BENCHMARK_TIMEOUT:-600}" redis-benchmark -h "$kv_host" -p "$kv_port" -q "$@" 2>&1 | tr '\r' '\n') || status=$?
  [ "$status" -eq 0 ] || kv_fail "redis-benchmark $* failed (exit status $status$([ "$status" -eq 124 ] && echo ", timed out")): $(grep -v '^ *$' <<<"$out" | tail -5)"
  if grep -qi "error" <<<"$out"; then kv_fail "redis-benchmark $* reported errors: $(grep -i error <<<"$out" | head -3)"; fi
  local figures
  figures=$(grep "requests per second" <<<"$out" | sed 's/^ *//') || true
  [ -n "$figures" ] || kv_fail "redis-benchmark $* printed no figures: $(tail -5 <<<"$out")"
  while IFS= read -r figure; do echo "$kv_test_name: redis-benchmark $label: $figure"; done <<<"$figures"
}
