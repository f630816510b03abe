package pk.gov.cmms.esnode;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;
import pk.gov.cmms.esnode.analysis.CmmsAnalysisPlugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Foreground entry point: {@code java -cp ... pk.gov.cmms.esnode.Launcher --home DIR --http-port N}.
 * Runs until SIGTERM/SIGINT, then closes the node cleanly (flushes shards, releases the data lock).
 */
public final class Launcher {

    /** Plugins the node loads from the classpath; everything else a stock distribution has is absent. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,
        CmmsAnalysisPlugin.class,
        RootInfoPlugin.class
    );

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        LaunchOptions options = LaunchOptions.parse(args);
        Settings settings = nodeSettings(options);
        Files.createDirectories(options.home().resolve("data"));
        Files.createDirectories(options.home().resolve("logs"));
        Files.createDirectories(options.home().resolve("config"));

        // Console logging only; the process manager (or start_background) captures stdout/stderr.
        // configure(env) is avoided: it needs a log4j2.properties and swallows System.out.
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);

        Environment environment = new Environment(settings, options.home().resolve("config"));
        Node node = new ClasspathNode(environment, PLUGINS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(node, stopped), "esnode-shutdown"));
        node.start();

        HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        System.out.println("esnode ready: http://" + http.boundAddress().publishAddress());
        System.out.flush();
        // ES worker threads are daemons; this non-daemon main thread keeps the JVM alive.
        stopped.await();
    }

    static Settings nodeSettings(LaunchOptions options) {
        Path home = options.home();
        return Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", options.clusterName())
            .put("node.name", options.nodeName())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", options.httpPort())
            // Ephemeral transport port: nothing talks to it, and a fixed one could clash on CI.
            .put("transport.port", 0)
            // Writes logs/http.ports once the port is bound; handy when --http-port 0 is used.
            .put("node.portsfile", true)
            // CI disks are often >90% full; the default watermarks would leave shards unassigned.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // Tests delete indices by wildcard.
            .put("action.destructive_requires_name", false)
            // The real-memory breaker trips spuriously with small heaps and no GC tuning.
            .put("indices.breaker.total.use_real_memory", false)
            // Without a log4j2.properties the root level would be ERROR; INFO shows start-up and index events.
            .put("logger.level", options.logLevel())
            .build();
    }

    private static void closeQuietly(Node node, CountDownLatch stopped) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("esnode: error while closing the node: " + e);
        } finally {
            stopped.countDown();
        }
    }
}
