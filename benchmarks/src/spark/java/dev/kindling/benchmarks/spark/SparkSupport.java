package dev.kindling.benchmarks.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts Spark contexts configured alike for all Spark contenders. Spark allows one context per JVM,
 * so contenders of one benchmark share it: each {@link #context} is matched by a {@link #release},
 * and the last release stops it.
 */
final class SparkSupport {

    private static JavaSparkContext shared;
    private static int users;

    private SparkSupport() {
    }

    /** A {@code local[threads]} context without the web UI, logging warnings only (the running one if any). */
    static synchronized JavaSparkContext context(String app, int threads) {
        if (shared == null) {
            SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName(app)
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            shared = new JavaSparkContext(conf);
            shared.setLogLevel("WARN");
        }
        users++;
        return shared;
    }

    /** Gives back a context from {@link #context}; stops it when no contender uses it any more. */
    static synchronized void release(JavaSparkContext sc) {
        if (sc == shared && --users == 0) {
            shared.close();
            shared = null;
        }
    }
}
