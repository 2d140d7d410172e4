// Starts an OpenSearch cluster in one JVM with the codelibs runner, bound to 127.0.0.1.
// Unlike the runner's own main(), a start-up failure prints its stack trace.
// Usage: java -cp CLASSPATH Node.java -basePath DIR -numOfNode N -baseHttpPort PORT
//   With -nodeOrdinal K -clusterNodes N (1 <= K <= N) this JVM runs only node K of an
//   N-node cluster whose other nodes are separate JVMs (so one node can be killed alone):
//   it is named "Node K", listens on PORT+K (HTTP) and PORT+50+K (transport) and joins the
//   nodes on PORT+51 .. PORT+50+N; give each JVM its own -basePath.
import org.codelibs.opensearch.runner.OpenSearchRunner;

import java.util.ArrayList;
import java.util.List;

public class Node {
    public static void main(String[] args) throws Exception {
        OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try { runner.close(); } catch (Exception e) { e.printStackTrace(); }
        }));
        runner.setMaxHttpPort(-1);  // node N listens exactly on baseHttpPort + N
        int base = 9200, nodes = 1, ordinal = 0, clusterNodes = 0;
        List<String> runnerArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("-nodeOrdinal") && value != null) { ordinal = Integer.parseInt(value); i++; continue; }
            if (args[i].equals("-clusterNodes") && value != null) { clusterNodes = Integer.parseInt(value); i++; continue; }
            if (args[i].equals("-baseHttpPort") && value != null) base = Integer.parseInt(value);
            if (args[i].equals("-numOfNode") && value != null) nodes = Integer.parseInt(value);
            runnerArgs.add(args[i]);
        }
        if (ordinal > 0) {  // one node of a multi-JVM cluster: the runner builds a single node
            if (clusterNodes < ordinal) throw new IllegalArgumentException("-clusterNodes must be >= -nodeOrdinal");
            nodes = clusterNodes;
            runnerArgs.add("-numOfNode");
            runnerArgs.add("1");
        }
        // Transport ports next to the HTTP ports, and discovery limited to them, so that
        // clusters started side by side on one machine never try to join each other.
        final int transportBase = base + 50, httpBase = base, fixed = ordinal;
        final StringBuilder seeds = new StringBuilder(), masters = new StringBuilder();
        for (int n = 1; n <= nodes; n++) {
            seeds.append(n > 1 ? "," : "").append("127.0.0.1:").append(transportBase + n);
            masters.append(n > 1 ? "," : "").append("Node ").append(n);
        }
        runner.onBuild((index, settings) -> {
            int n = fixed > 0 ? fixed : index;
            settings.put("network.host", "127.0.0.1");
            settings.put("transport.port", String.valueOf(transportBase + n));
            settings.putList("discovery.seed_hosts", seeds.toString().split(","));
            settings.putList("cluster.initial_master_nodes", masters.toString().split(","));
            if (fixed > 0) {
                settings.put("node.name", "Node " + n);
                settings.put("http.port", String.valueOf(httpBase + n));
            }
        });
        try {
            runner.build(runnerArgs.toArray(new String[0]));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("STARTED");
        while (!runner.isClosed()) Thread.sleep(1000);
    }
}
