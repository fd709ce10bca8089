package dev.kindling;

import dev.kindling.internal.rdd.Samplers;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.NarrowDependency;
import dev.kindling.scheduler.Partitioner;
import dev.kindling.scheduler.TaskContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampling by key (stratified sampling), the node behind {@link PairRDD#sampleByKey} and
 * {@link PairRDD#sampleByKeyExact}, following Spark's {@code StratifiedSamplingUtils}.
 *
 * <p>Without {@code exact}, each pair is kept with probability {@code fractions(key)} (Bernoulli),
 * or repeated a Poisson({@code fractions(key)}) number of times with replacement.
 *
 * <p>With {@code exact}, each key's sample has exactly {@code ceil(fraction * count(key))} pairs.
 * Before the first job a pass over the parent draws, for every pair, the same random numbers the
 * sampling pass will draw (per partition from {@code seed + partition}), and per key counts the pairs
 * that fall under a lower bound (accepted at once) and keeps the draws between the lower and an upper
 * bound (the wait list); the bounds make it very unlikely (Spark's {@code delta = 5e-5}) that the
 * accepted pairs are too many or the wait list too short. The threshold of each key is then the
 * wait-list draw that completes its sample. Without replacement the bounds tighten as a partition's
 * pairs of a key stream by (no count needed); with replacement they come from each key's count (one
 * more pass, as Spark). The sampling pass replays the same decisions, so the sample is exact, provided
 * the parent yields the same pairs in the same order each time (Spark has the same condition). In the
 * unlikely case the bounds fail for a key, that key is sampled as near as possible and a warning logged.
 */
final class StratifiedSampleRDD<K, V> extends RDD<Pair<K, V>> {

    private static final Logger LOG = LoggerFactory.getLogger(StratifiedSampleRDD.class);
    /** Spark's failure probability for the streaming binomial bounds. */
    private static final double DELTA = 5e-5;

    private final RDD<Pair<K, V>> parent;
    private final boolean withReplacement;
    private final HashMap<K, Double> fractions;
    private final long seed;
    private final boolean exact;
    /** Per key, for {@code exact}: {acceptBound, waitListBound, threshold}; computed before the first job. */
    private volatile HashMap<K, double[]> plans;

    StratifiedSampleRDD(RDD<Pair<K, V>> parent, boolean withReplacement, Map<K, Double> fractions, long seed,
                        boolean exact) {
        super(parent.context());
        String op = exact ? "sampleByKeyExact" : "sampleByKey";
        for (Map.Entry<K, Double> e : fractions.entrySet()) {
            Double f = e.getValue();
            if (f == null || !(f >= 0) || (!withReplacement && f > 1) || f.isInfinite()) {
                throw new IllegalArgumentException(op + ": the fraction for key " + e.getKey() + " is " + f
                        + "; it must be in [0, 1] without replacement and >= 0 with replacement");
            }
        }
        this.parent = parent;
        this.withReplacement = withReplacement;
        this.fractions = new HashMap<>(fractions);
        this.seed = seed;
        this.exact = exact;
    }

    @Override
    protected int computeNumPartitions() {
        return parent.numPartitions();
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of(NarrowDependency.oneToOne(parent));
    }

    @Override
    public Optional<Partitioner> partitioner() {
        return parent.partitioner();
    }

    @Override
    protected synchronized void prepareForJob() {
        if (!exact || plans != null) {
            return;
        }
        HashMap<K, Double> fr = fractions;
        boolean wr = withReplacement;
        long s = seed;
        HashMap<K, Long> counts = new HashMap<>();
        if (wr) {
            for (HashMap<K, Long> part : context().runJob(parent, (ctx, it) -> countByKey(it))) {
                part.forEach((key, c) -> counts.merge(key, c, Long::sum));
            }
        }
        HashMap<K, Acceptance> merged = new HashMap<>();
        for (HashMap<K, Acceptance> part : context().runJob(parent,
                (ctx, it) -> new Sampler<K, V>(fr, wr, s, ctx.partitionId(), counts, null).accept(it))) {
            part.forEach((key, a) -> merged.merge(key, a, Acceptance::merge));
        }
        HashMap<K, double[]> result = new HashMap<>();
        merged.forEach((key, a) -> result.put(key, plan(key, a, fr.get(key))));
        plans = result;
    }

    @Override
    protected Iterator<Pair<K, V>> compute(int partition, TaskContext task) throws Exception {
        HashMap<K, double[]> p = plans;
        if (exact && p == null) {
            throw new IllegalStateException("sampleByKeyExact thresholds were not computed before the job");
        }
        return new Sampler<K, V>(fractions, withReplacement, seed, partition, null, p).sample(parent.iterator(partition, task));
    }

    private static <K> HashMap<K, Long> countByKey(Iterator<? extends Pair<K, ?>> it) {
        HashMap<K, Long> counts = new HashMap<>();
        while (it.hasNext()) {
            counts.merge(it.next().key(), 1L, Long::sum);
        }
        return counts;
    }

    /** The plan {acceptBound, waitListBound, threshold} of one key from its merged first pass. */
    private static <K> double[] plan(K key, Acceptance a, double fraction) {
        long sampleSize = (long) Math.ceil(a.numItems * fraction);
        double acceptBound = a.acceptBound;
        double waitListBound = a.waitListBound;
        if (a.numAccepted > sampleSize) {
            LOG.warn("sampleByKeyExact: key {} pre-accepted {} pairs for a sample of {}; sampling it at its fraction {}"
                    + " (Spark's bounds failed, a rare event)", key, a.numAccepted, sampleSize, fraction);
            return new double[] {Double.NaN, Double.NaN, fraction};
        }
        int needed = (int) (sampleSize - a.numAccepted);
        Collections.sort(a.waitList);
        double threshold;
        if (needed == 0) {
            threshold = 0;
        } else if (needed >= a.waitList.size()) {
            if (needed > a.waitList.size()) {
                LOG.warn("sampleByKeyExact: key {} has a wait list of {} for {} more pairs; its sample has {} pairs"
                        + " instead of {} (Spark's bounds failed, a rare event)", key, a.waitList.size(), needed,
                        a.numAccepted + a.waitList.size(), sampleSize);
            }
            threshold = 1.0;
        } else {
            threshold = a.waitList.get(needed);
        }
        return new double[] {acceptBound, waitListBound, threshold};
    }

    /** Spark's {@code BinomialBounds.getLowerBound}: a rate that very unlikely gives more than {@code fraction * n}. */
    static double binomialLower(long n, double fraction) {
        if (n == 0) {
            return 0; // Spark's formula gives NaN here: nothing is accepted at once
        }
        double gamma = -Math.log(DELTA) / n * (2.0 / 3.0);
        return fraction + gamma - Math.sqrt(gamma * gamma + 3 * gamma * fraction);
    }

    /** Spark's {@code BinomialBounds.getUpperBound}: a rate that very unlikely gives fewer than {@code fraction * n}. */
    static double binomialUpper(long n, double fraction) {
        if (n == 0) {
            return 1;
        }
        double gamma = -Math.log(DELTA) / n;
        return Math.min(1, Math.max(1e-10, fraction + gamma + Math.sqrt(gamma * gamma + 2 * gamma * fraction)));
    }

    /** Spark's {@code PoissonBounds}: a Poisson mean that very unlikely gives more ({@code upper}: fewer) than {@code s}. */
    static double poissonBound(double s, boolean upper) {
        double numStd = s < 6 ? 12 : s < 16 ? 9 : 6;
        return upper ? Math.max(s + numStd * Math.sqrt(s), 1e-10) : Math.max(s - numStd * Math.sqrt(s), 1e-15);
    }

    /** One key's first-pass statistics in one partition (or merged). */
    static final class Acceptance implements Serializable {
        long numItems;
        long numAccepted;
        ArrayList<Double> waitList = new ArrayList<>();
        double acceptBound;
        double waitListBound;

        Acceptance merge(Acceptance other) {
            numItems += other.numItems;
            numAccepted += other.numAccepted;
            waitList.addAll(other.waitList);
            return this;
        }
    }

    /**
     * The random decisions of one partition, drawn identically by the first pass ({@link #accept})
     * and the sampling pass ({@link #sample}): one uniform draw per pair without replacement; with
     * replacement two Poisson draws (accepted and wait-listed copies) and one uniform per wait-listed copy.
     */
    private static final class Sampler<K, V> {
        private final Map<K, Double> fractions;
        private final boolean withReplacement;
        private final Map<K, Long> counts;
        private final Map<K, double[]> plans;
        private final Random uniform;
        private final Random poisson;
        private final HashMap<K, Long> seen = new HashMap<>();
        private final HashMap<K, Acceptance> results = new HashMap<>();

        Sampler(Map<K, Double> fractions, boolean withReplacement, long seed, int partition, Map<K, Long> counts,
                Map<K, double[]> plans) {
            this.fractions = fractions;
            this.withReplacement = withReplacement;
            this.counts = counts;
            this.plans = plans;
            this.uniform = new Random(seed + partition);
            this.poisson = new Random(Long.reverse(seed + partition) ^ 0x9E3779B97F4A7C15L);
        }

        HashMap<K, Acceptance> accept(Iterator<Pair<K, V>> it) {
            while (it.hasNext()) {
                K key = it.next().key();
                double f = fraction(key);
                Acceptance a = results.computeIfAbsent(key, k -> new Acceptance());
                if (withReplacement) {
                    if (a.numItems == 0) {
                        long n = counts.get(key);
                        double s = Math.ceil(n * f);
                        a.acceptBound = poissonBound(s, false) / n;
                        a.waitListBound = (poissonBound(s, true) - poissonBound(s, false)) / n;
                    }
                    a.numAccepted += Samplers.poisson(poisson, a.acceptBound);
                    int waitListed = Samplers.poisson(poisson, a.waitListBound);
                    for (int i = 0; i < waitListed; i++) {
                        a.waitList.add(uniform.nextDouble());
                    }
                } else {
                    a.acceptBound = binomialLower(a.numItems, f);
                    a.waitListBound = binomialUpper(a.numItems, f);
                    double x = uniform.nextDouble();
                    if (x < a.acceptBound) {
                        a.numAccepted++;
                    } else if (x < a.waitListBound) {
                        a.waitList.add(x);
                    }
                }
                a.numItems++;
            }
            return results;
        }

        Iterator<Pair<K, V>> sample(Iterator<Pair<K, V>> in) {
            return new Iterator<>() {
                private Pair<K, V> current;
                private int copies;

                @Override
                public boolean hasNext() {
                    while (copies == 0 && in.hasNext()) {
                        current = in.next();
                        copies = copies(current.key());
                    }
                    return copies > 0;
                }

                @Override
                public Pair<K, V> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    copies--;
                    return current;
                }
            };
        }

        /** How many times the next pair, of {@code key}, is in the sample. */
        private int copies(K key) {
            double f = fraction(key);
            if (plans == null) {
                return withReplacement ? Samplers.poisson(uniform, f) : uniform.nextDouble() < f ? 1 : 0;
            }
            double[] plan = plans.get(key);
            if (plan == null) {
                throw new IllegalStateException("sampleByKeyExact: key " + key + " was not seen by the pass that sized"
                        + " the sample; the parent RDD must yield the same pairs each time it is computed (persist it)");
            }
            if (withReplacement) {
                int n = Samplers.poisson(poisson, plan[0]);
                int waitListed = Samplers.poisson(poisson, plan[1]);
                for (int i = 0; i < waitListed; i++) {
                    if (uniform.nextDouble() < plan[2]) {
                        n++;
                    }
                }
                return n;
            }
            long n = seen.merge(key, 1L, Long::sum) - 1;
            double x = uniform.nextDouble();
            if (Double.isNaN(plan[0])) {
                return x < plan[2] ? 1 : 0; // the bounds failed for this key: sample at its fraction
            }
            return x < binomialLower(n, f) || (x < binomialUpper(n, f) && x < plan[2]) ? 1 : 0;
        }

        private double fraction(K key) {
            Double f = fractions.get(key);
            if (f == null) {
                throw new IllegalArgumentException("sampleByKey: no sampling fraction for key " + key + " (the fractions"
                        + " map has " + fractions.size() + " keys); give a fraction for every key of the RDD");
            }
            return f;
        }
    }
}
