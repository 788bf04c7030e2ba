# Sourced by the web benchmarks: how much CPU time the hypervisor gave to other guests ("steal")
# while wrk ran. A virtual machine's neighbours show as latency on every server measured.

# The machine's CPU time so far, all cores, and of it the time stolen, in clock ticks: "total steal".
cpu_ticks() {
    awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }' /proc/stat
}

# steal_record T0 S0 FILE: appends the ticks since `cpu_ticks` printed "T0 S0" to FILE.
steal_record() {
    local t1 s1
    read -r t1 s1 < <(cpu_ticks)
    echo "$(($t1 - $1)) $(($s1 - $2))" >>"$3"
}

# steal_report FILE: one line saying how much was stolen over the runs recorded in FILE; removes it.
steal_report() {
    awk '{ t += $1; s += $2; if ($1 > 0 && 100 * $2 / $1 > worst) worst = 100 * $2 / $1 }
        END { if (t > 0) printf "CPU time stolen by the hypervisor during these runs: %.1f %% (worst run %.1f %%)\n", 100 * s / t, worst }' "$1"
    rm -f "$1"
}
