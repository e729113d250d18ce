# Shared by vm-echo-test and vm-ping-test (sourced, not run): waiting for the guest, failing with
# its console, the bulk echo smoke figure and the driver's counters line. The caller sets
# test_name, console (the VM's console file), vm_pid, listening and boot_timeout_seconds.

# Prints $1 and the guest's console on stderr, then exits 1.
fail_with_console() {
  echo "$test_name: $1; console:" >&2
  cat "$console" >&2
  exit 1
}

# Waits until the console shows the guest's listening line; fails when the VM ends or the boot
# timeout passes.
wait_for_listening() {
  local deadline=$(( $(date +%s) + boot_timeout_seconds ))
  until grep -q "^$listening" "$console"; do
    if ! kill -0 "$vm_pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      fail_with_console "the guest did not print '$listening' (VM ended or ${boot_timeout_seconds}s passed)"
    fi
    sleep 1
  done
}

# Throughput smoke figure: $2 MiB of random bytes through the echo server and back, compared
# byte for byte; $1 names the pass, the rest is the client command (nc ... reading stdin).
bulk_echo() {
  local pass=$1 mib=$2 sent echoed bulk_start bulk_done
  shift 2
  sent=$(mktemp); echoed=$(mktemp)
  head -c $((mib * 1048576)) /dev/urandom > "$sent"
  bulk_start=$(date +%s.%N)
  "$@" < "$sent" > "$echoed" || true
  bulk_done=$(date +%s.%N)
  if ! cmp -s "$sent" "$echoed"; then
    local got
    got=$(stat -c %s "$echoed")
    rm -f "$sent" "$echoed"
    fail_with_console "bulk echo of $mib MiB ($pass) came back as $got bytes, not identical"
  fi
  rm -f "$sent" "$echoed"
  awk -v name="$test_name" -v mib="$mib" -v s="$bulk_start" -v d="$bulk_done" -v pass="$pass" \
    'BEGIN { printf "%s: bulk %d MiB echoed intact (%s) in %.1f s (%.2f MiB/s each way)\n", name, mib, pass, d - s, mib / (d - s) }'
}

# The guest prints its driver's counters when a connection ends: waits up to 10 s for that line
# and shows the last one.
show_driver_counters() {
  local deadline=$(( $(date +%s) + 10 ))
  until grep -q "^echo-vm: connection closed" "$console" || [ "$(date +%s)" -ge "$deadline" ]; do
    sleep 0.2
  done
  grep "^echo-vm: connection closed" "$console" | tail -1 || true
}
