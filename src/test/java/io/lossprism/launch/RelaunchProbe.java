package io.lossprism.launch;

/**
 * A main class that goes through {@link Relaunch} as {@code Main} does, then reports what the process
 * that runs it sees. {@code exit N}: exits with N; {@code wait}: prints "ready" and waits to be stopped.
 */
public final class RelaunchProbe {

    private RelaunchProbe() {}

    public static void main(String[] args) throws Exception {
        var status = Relaunch.ifNeeded(RelaunchProbe.class, args);
        if (status.isPresent()) {
            System.exit(status.get());
        }
        System.out.println("probe pid=" + ProcessHandle.current().pid() + " marker="
                + System.getenv(ProcessSettings.MARKER) + " wait=" + System.getenv("OMP_WAIT_POLICY") + " args="
                + String.join("|", args));
        System.out.flush();
        if (args[0].equals("exit")) {
            System.exit(Integer.parseInt(args[1]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("probe stopping")));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(99);
    }
}
