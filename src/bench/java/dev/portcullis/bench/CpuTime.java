package dev.portcullis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time (user + system, from {@code /proc}) used by the server's JVM and by all PostgreSQL
 * processes, so a grant's table can say where each request's CPU went: a profile that every run
 * repeats. Linux only; zero elsewhere.
 */
final class CpuTime {

  /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code getconf CLK_TCK}; 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  /**
   * CPU seconds of the server and of each PostgreSQL process (by pid) at one moment.
   *
   * <p>PostgreSQL's processes come and go (backends, autovacuum workers): a difference of sums
   * would subtract the whole life of a process that ended in between, so {@link #since} compares
   * process by process. A process that ended in between is left out (its last moments are lost);
   * one that started counts in full.
   */
  record Sample(double server, Map<Long, Double> postgresByPid) {

    /** The CPU used between {@code earlier} and this sample. */
    Used since(Sample earlier) {
      double postgres = 0;
      for (var process : postgresByPid.entrySet()) {
        postgres +=
            Math.max(
                0, process.getValue() - earlier.postgresByPid.getOrDefault(process.getKey(), 0.0));
      }
      return new Used(server - earlier.server, postgres);
    }
  }

  /** CPU seconds used by the server and by PostgreSQL over an interval. */
  record Used(double server, double postgres) {}

  private CpuTime() {}

  static Sample now(long serverPid) {
    var postgres = new HashMap<Long, Double>();
    try (var processes = Files.list(Path.of("/proc"))) {
      for (var dir : (Iterable<Path>) processes::iterator) {
        String name = dir.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && "postgres".equals(comm(dir))) {
          postgres.put(Long.parseLong(name), seconds(dir));
        }
      }
    } catch (IOException e) {
      return new Sample(0, Map.of());
    }
    return new Sample(seconds(Path.of("/proc", Long.toString(serverPid))), postgres);
  }

  /**
   * CPU seconds of the JIT's compiler threads (C1 and C2) of the JVM {@code pid}: while they are
   * busy, the code being measured is not yet the code a long-running server runs.
   */
  static double compilerSeconds(long pid) {
    double seconds = 0;
    try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (var thread : (Iterable<Path>) threads::iterator) {
        if (comm(thread).matches("C[12] CompilerThre.*")) {
          seconds += seconds(thread);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return seconds;
  }

  private static String comm(Path dir) {
    try {
      return Files.readString(dir.resolve("comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** utime + stime of the process (or thread); 0 if it is gone. */
  private static double seconds(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
