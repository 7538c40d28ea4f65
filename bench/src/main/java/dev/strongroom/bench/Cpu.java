package dev.strongroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU accounting from /proc, cheap enough to read around every run: this process's user+system time, and how busy
 * the whole machine was (the load generator and anything else running share the same cores).
 */
final class Cpu {
    /** USER_HZ: the unit of /proc times. 100 on every Linux this runs on; `getconf CLK_TCK` says so. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Cpu() {}

    /** A reading of this process's CPU time and the machine's busy/total time, all in seconds. */
    record Sample(double processSeconds, double machineBusySeconds, double machineTotalSeconds, long nanos) {
        /** Process CPU seconds used since {@code earlier}. */
        double processSince(Sample earlier) { return processSeconds - earlier.processSeconds; }

        /** Fraction (0..1) of all cores that were busy since {@code earlier}. */
        double machineBusySince(Sample earlier) {
            double total = machineTotalSeconds - earlier.machineTotalSeconds;
            return total <= 0 ? Double.NaN : (machineBusySeconds - earlier.machineBusySeconds) / total;
        }

        double wallSince(Sample earlier) { return (nanos - earlier.nanos) / 1e9; }
    }

    static Sample sample() {
        return new Sample(processSeconds(), machine()[0], machine()[1], System.nanoTime());
    }

    private static double processSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based, as proc(5) counts them).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** [busy, total] seconds summed over all cores, from the first line of /proc/stat. */
    private static double[] machine() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]); // user..steal
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }
}
