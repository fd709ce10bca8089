package dev.kindling.benchmarks.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starts Spark contexts configured alike for all Spark contenders. */
final class SparkSupport {

    private SparkSupport() {
    }

    /** A {@code local[threads]} context without the web UI, logging warnings only. */
    static JavaSparkContext context(String app, int threads) {
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
