package pk.gov.cmms.esnode;

import java.nio.file.Path;

/** Command-line options of the launcher, parsed strictly (unknown flags are errors). */
record LaunchOptions(Path home, int httpPort, String clusterName, String nodeName, String logLevel) {

    static LaunchOptions parse(String[] args) {
        Path home = null;
        int port = 9200;
        String clusterName = "cmms-local";
        String nodeName = "cmms-es-1";
        String logLevel = "INFO";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--home" -> home = Path.of(value).toAbsolutePath();
                case "--http-port" -> port = Integer.parseInt(value);
                case "--cluster-name" -> clusterName = value;
                case "--node-name" -> nodeName = value;
                case "--log-level" -> logLevel = value;
                default -> throw new IllegalArgumentException(
                    "unknown option " + flag + " (expected --home, --http-port, --cluster-name, --node-name, --log-level)");
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home DIR is required (data, logs and config go under it)");
        }
        return new LaunchOptions(home, port, clusterName, nodeName, logLevel);
    }
}
