package dev.scrgraph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;

/**
 * Minimal launcher for a local Neo4j 5.26 Community DBMS (embedded, Bolt only).
 *
 * <p>Usage: {@code java -cp target/classes:target/lib/* dev.scrgraph.Neo4jLocal [HOME] [PORT]}
 *
 * <ul>
 *   <li>HOME: arg 1, else env {@code NEO4J_LOCAL_HOME} (required). Store, logs etc. live below it.
 *   <li>PORT: arg 2, else env {@code NEO4J_PORT}, else 7687. Bolt binds to 127.0.0.1 only.
 *   <li>Page cache: env {@code NEO4J_PAGECACHE} (a size such as {@code 512m} or {@code 2g}),
 *       else 256m. The heap is the JVM's {@code -Xmx}, set by the script from {@code NEO4J_HEAP}.
 *   <li>Password: env {@code NEO4J_PASSWORD} (required; never taken from the command line so it
 *       does not show up in {@code ps}). Authentication is always on.
 * </ul>
 *
 * <p>Password handling: a fresh DBMS creates user {@code neo4j} with the default password and
 * "change required". After start-up this launcher runs, against the {@code system} database
 * through the embedded API (which executes with full, auth-free privileges),
 * {@code ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED}. This is done on every start so
 * that the server password always equals {@code NEO4J_PASSWORD}; when the password is already the
 * same Neo4j rejects the statement ("Old password and new password cannot be the same"), which is
 * treated as success.
 */
public final class Neo4jLocal {

    private Neo4jLocal() {}

    public static void main(String[] args) throws Exception {
        String homeArg = args.length > 0 ? args[0] : System.getenv("NEO4J_LOCAL_HOME");
        if (homeArg == null || homeArg.isBlank()) {
            fail("home directory missing: pass it as first argument or set NEO4J_LOCAL_HOME");
        }
        String portArg = args.length > 1 ? args[1] : System.getenv("NEO4J_PORT");
        int port = 7687;
        if (portArg != null && !portArg.isBlank()) {
            try {
                port = Integer.parseInt(portArg.trim());
            } catch (NumberFormatException e) {
                fail("invalid port: " + portArg);
            }
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            fail("NEO4J_PASSWORD must be set (the script scripts/neo4j-local takes care of that)");
        }

        String pageCacheArg = System.getenv("NEO4J_PAGECACHE");
        long pageCache = ByteUnit.mebiBytes(256);
        if (pageCacheArg != null && !pageCacheArg.isBlank()) {
            try {
                pageCache = SettingValueParsers.BYTES.parse(pageCacheArg.trim());
            } catch (IllegalArgumentException e) {
                fail("invalid NEO4J_PAGECACHE: " + pageCacheArg + " (expected a size such as 512m or 2g)");
            }
        }

        Path home = Path.of(homeArg).toAbsolutePath().normalize();
        Files.createDirectories(home);
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // The heap (NEO4J_HEAP) bounds transaction memory; the default pool cap (70% of
                // heap) was seen refusing small queries under the test suite. A timeout ends any
                // transaction a crashed client leaves behind.
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, 0L)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(120))
                // On shutdown the Bolt server otherwise idles 2 x 5 s, *after* the databases have
                // already been checkpointed and closed; 1 s each keeps `stop` at ~4 s. (debug.log
                // then may WARN "Termination of worker event loop group has exceeded maximum
                // permitted duration" - harmless, the store is already closed at that point.)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J STOPPING");
            System.out.flush();
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("error during shutdown: " + t);
            } finally {
                System.out.println("NEO4J STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        try {
            syncPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            // Touch the default database so READY means "queries will work".
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            System.err.println("NEO4J FAILED: " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("NEO4J READY bolt://127.0.0.1:" + port + " (home " + home + ", started in " + ms + " ms)");
        System.out.flush();
        stopped.await();
    }

    private static void syncPassword(GraphDatabaseService system, String password) {
        boolean changeRequired = true;
        try (Transaction tx = system.beginTx();
                Result r = tx.execute("SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired")) {
            if (r.hasNext()) {
                changeRequired = Boolean.TRUE.equals(r.next().get("passwordChangeRequired"));
            } else {
                fail("user neo4j does not exist in the system database");
            }
            tx.commit();
        }
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.out.println(changeRequired
                    ? "NEO4J initial password of user neo4j set from NEO4J_PASSWORD"
                    : "NEO4J password of user neo4j updated from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            if (!changeRequired && isSamePasswordError(e)) {
                System.out.println("NEO4J password of user neo4j unchanged");
            } else {
                throw e;
            }
        }
    }

    private static boolean isSamePasswordError(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains("Old password and new password cannot be the same")) {
                return true;
            }
        }
        return false;
    }

    private static void fail(String message) {
        System.err.println("NEO4J FAILED: " + message);
        System.exit(2);
    }
}
