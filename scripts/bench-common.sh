# Sourced by the web benchmarks: waiting until a server just started is idle before measuring it,
# and the median of a cell's runs.

# A process's CPU time so far (user and system), in clock ticks.
process_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# settle PID...: waits (at most 3 minutes) until the 1-minute load average is under 1 (a bulk
# load's writes done) and the processes are idle: together under 2 % of a core over 2 s (their
# start-up jobs done, such as the reminder run over every organization). Prints how long it waited.
settle() {
    local hz started=$SECONDS
    hz=$(getconf CLK_TCK)
    for _ in $(seq 1 90); do
        local before=0 after=0 pid
        for pid in "$@"; do before=$((before + $(process_ticks "$pid"))); done
        sleep 2
        for pid in "$@"; do after=$((after + $(process_ticks "$pid"))); done
        if awk '{ exit !($1 < 1.0) }' /proc/loadavg && [ $((after - before)) -le $((hz * 2 / 50)) ]; then
            echo "settled: the machine and the servers idle after $((SECONDS - started)) s"
            return
        fi
    done
    echo "not settled after $((SECONDS - started)) s: measured anyway"
}

# The median of the numbers given (the lower middle one of an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
