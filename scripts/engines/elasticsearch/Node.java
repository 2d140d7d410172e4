// Starts an Elasticsearch cluster in one JVM with the codelibs runner, bound to 127.0.0.1.
// Unlike the runner's own main(), a start-up failure prints its stack trace.
// Usage: java -cp CLASSPATH Node.java -basePath DIR -numOfNode N -baseHttpPort PORT
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

public class Node {
    public static void main(String[] args) throws Exception {
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try { runner.close(); } catch (Exception e) { e.printStackTrace(); }
        }));
        runner.setMaxHttpPort(-1);  // node N listens exactly on baseHttpPort + N
        int base = 9200, nodes = 1;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-baseHttpPort")) base = Integer.parseInt(args[i + 1]);
            if (args[i].equals("-numOfNode")) nodes = Integer.parseInt(args[i + 1]);
        }
        // Transport ports next to the HTTP ports, and discovery limited to them, so that
        // clusters started side by side on one machine never try to join each other.
        final int transportBase = base + 50;
        final StringBuilder seeds = new StringBuilder(), masters = new StringBuilder();
        for (int n = 1; n <= nodes; n++) {
            seeds.append(n > 1 ? "," : "").append("127.0.0.1:").append(transportBase + n);
            masters.append(n > 1 ? "," : "").append("Node ").append(n);
        }
        runner.onBuild((index, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("transport.port", String.valueOf(transportBase + index));
            settings.putList("discovery.seed_hosts", seeds.toString().split(","));
            settings.putList("cluster.initial_master_nodes", masters.toString().split(","));
        });
        try {
            runner.build(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("STARTED");
        while (!runner.isClosed()) Thread.sleep(1000);
    }
}
