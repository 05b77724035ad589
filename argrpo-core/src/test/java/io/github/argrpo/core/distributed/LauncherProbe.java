package io.github.argrpo.core.distributed;

/**
 * A rank for the launcher tests that does not touch libtorch (starts in a fraction of a second):
 * prints its environment; rank 1 exits with the status given as argument, the others sleep for a minute
 * unless the status is 0.
 */
public final class LauncherProbe {

  private LauncherProbe() {}

  public static void main(String[] args) throws InterruptedException {
    int status = Integer.parseInt(args[0]);
    int rank = Integer.parseInt(System.getenv("RANK"));
    System.out.println("probe RANK=" + rank + " WORLD_SIZE=" + System.getenv("WORLD_SIZE") + " MASTER_ADDR="
        + System.getenv("MASTER_ADDR") + " OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
    if (rank == 1 || status == 0) {
      System.exit(rank == 1 ? status : 0);
    }
    Thread.sleep(60_000);
  }
}
