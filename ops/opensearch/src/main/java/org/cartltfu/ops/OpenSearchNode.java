package org.cartltfu.ops;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One single-node OpenSearch cluster on 127.0.0.1, kept in a data directory that survives restarts (so stopping and
 * starting it is a fault the hub must ride out, not a fresh index).
 *
 * <p>Arguments: http port, base directory. The transport port is the http port + 100.
 */
public final class OpenSearchNode {

    private OpenSearchNode() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: OpenSearchNode <http port> <base directory>");
            System.exit(2);
        }
        int httpPort = Integer.parseInt(args[0]);
        Path base = Path.of(args[1]).toAbsolutePath();
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((index, settings) -> {
            settings.put("http.port", httpPort);
            settings.put("transport.port", httpPort + 100);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            // A shared test machine's disk is often above OpenSearch's watermarks; it would then refuse to allocate.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        });
        // The runner's fixed node directory (node_1) under the base path holds the data across restarts.
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .clusterName("cart-ltfu")
                .baseHttpPort(httpPort - 1));
        runner.ensureYellow();
        System.out.println("OpenSearch ready on http://127.0.0.1:" + httpPort);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println("closing OpenSearch: " + e);
            }
            closed.countDown();
        }));
        closed.await();
    }
}
