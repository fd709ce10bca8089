package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.PairRDD;
import dev.kindling.scheduler.HashPartitioner;
import dev.kindling.testing.ContextConfiguration;
import dev.kindling.testing.EveryContextConfiguration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random chains of key/value operators (aggregations, joins, cogroups, partitionBy, sorting) on
 * skewed keys with null and colliding hash codes, checked against a list model as multisets. Chains
 * often reuse a partitioner from an earlier step, exercising the no-shuffle paths. Runs under every
 * {@link ContextConfiguration} (closure copying off, a small budget, Kryo shuffles, a serialized
 * cache); the chain's result is cached at the configuration's level and read twice.
 */
@EveryContextConfiguration
class RandomPairChainsTest {

    private static final List<Pair<String, Integer>> SIDE = List.of(Pair.of("Aa", 1), Pair.of("BB", 2),
            Pair.of(null, 3), Pair.of("Aa", 4), Pair.of("k9", 5), Pair.of("only-here", 6));

    /** One operator on pairs, with its effect on the RDD and on the list model. */
    enum Op {
        MAP_VALUES {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.mapValues(v -> (v * 3 + arg) % 101);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return list.stream().map(kv -> Pair.of(kv.key(), (kv.value() * 3 + arg) % 101)).collect(Collectors.toList());
            }
        },
        FILTER {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.filter(kv -> kv.value() % 3 != arg % 3);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return list.stream().filter(kv -> kv.value() % 3 != arg % 3).collect(Collectors.toList());
            }
        },
        PARTITION_BY {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.partitionBy(new HashPartitioner(arg % 3 + 2));
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return list;
            }
        },
        REDUCE_BY_KEY {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return arg % 2 == 0 ? rdd.reduceByKey(Integer::sum) : rdd.reduceByKey(Integer::sum, arg % 3 + 2);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                Map<String, Integer> sums = new LinkedHashMap<>();
                list.forEach(kv -> sums.merge(kv.key(), kv.value(), Integer::sum));
                return pairsOf(sums);
            }
        },
        GROUP_THEN_FLATTEN {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.groupByKey().flatMapValues(vs -> vs.iterator());
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return list;
            }
        },
        AGGREGATE_COUNT {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.aggregateByKey(new ArrayList<Integer>(), (acc, v) -> {
                    acc.add(v);
                    return acc;
                }, (a, b) -> {
                    a.addAll(b);
                    return a;
                }).mapValues(ArrayList::size);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                Map<String, Integer> counts = new LinkedHashMap<>();
                list.forEach(kv -> counts.merge(kv.key(), 1, Integer::sum));
                return pairsOf(counts);
            }
        },
        JOIN_SIDE {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.join(rdd.rdd().context().parallelizePairs(SIDE, 2)).mapValues(p -> p.key() * 10 + p.value());
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                List<Pair<String, Integer>> out = new ArrayList<>();
                for (Pair<String, Integer> a : list) {
                    for (Pair<String, Integer> b : SIDE) {
                        if (Objects.equals(a.key(), b.key())) {
                            out.add(Pair.of(a.key(), a.value() * 10 + b.value()));
                        }
                    }
                }
                return out;
            }
        },
        LEFT_OUTER_SIDE {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.leftOuterJoin(rdd.rdd().context().parallelizePairs(SIDE, 3))
                        .mapValues(p -> p.key() + p.value().orElse(1000));
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                List<Pair<String, Integer>> out = new ArrayList<>();
                for (Pair<String, Integer> a : list) {
                    boolean matched = false;
                    for (Pair<String, Integer> b : SIDE) {
                        if (Objects.equals(a.key(), b.key())) {
                            matched = true;
                            out.add(Pair.of(a.key(), a.value() + b.value()));
                        }
                    }
                    if (!matched) {
                        out.add(Pair.of(a.key(), a.value() + 1000));
                    }
                }
                return out;
            }
        },
        SELF_COGROUP_SIZES {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.cogroup(rdd).mapValues(g -> size(g.key()) * 1000 + size(g.value()));
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                Map<String, Integer> counts = new LinkedHashMap<>();
                list.forEach(kv -> counts.merge(kv.key(), 1, Integer::sum));
                counts.replaceAll((k, n) -> n * 1000 + n);
                return pairsOf(counts);
            }
        },
        SUBTRACT_SIDE {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.subtractByKey(rdd.rdd().context().parallelizePairs(SIDE.subList(0, arg % 4 + 1), 2));
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                Set<String> keys = new HashSet<>();
                SIDE.subList(0, arg % 4 + 1).forEach(kv -> keys.add(kv.key()));
                return list.stream().filter(kv -> !keys.contains(kv.key())).collect(Collectors.toList());
            }
        },
        SORT_BY_KEY {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.sortByKey(arg % 2 == 0, arg % 4 + 1);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return list;
            }
        },
        UNION_SELF {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.union(rdd);
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                List<Pair<String, Integer>> out = new ArrayList<>(list);
                out.addAll(list);
                return out;
            }
        },
        DISTINCT {
            PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg) {
                return rdd.distinct();
            }

            List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg) {
                return new ArrayList<>(new LinkedHashSet<>(list));
            }
        };

        abstract PairRDD<String, Integer> apply(PairRDD<String, Integer> rdd, int arg);

        abstract List<Pair<String, Integer>> model(List<Pair<String, Integer>> list, int arg);
    }

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRandomPairChainMatchesTheListModel(long seed, KindlingContext kc, ContextConfiguration cfg) {
        Random random = new Random(seed);
        List<Pair<String, Integer>> data = RandomData.skewedPairs(seed, random.nextInt(200));
        PairRDD<String, Integer> rdd = kc.parallelizePairs(data, random.nextInt(5) + 1);
        List<Pair<String, Integer>> model = data;
        List<String> chain = new ArrayList<>();
        Op[] ops = Op.values();
        for (int step = random.nextInt(6) + 1; step > 0; step--) {
            Op op = ops[random.nextInt(ops.length)];
            int arg = random.nextInt(1000);
            chain.add(op + "(" + arg + ")");
            rdd = op.apply(rdd, arg);
            model = op.model(model, arg);
            if (model.size() > 5000) {
                break;
            }
        }
        rdd.rdd().persist(cfg.cacheLevel());

        assertEquals(PairOperationsTest.sortedPairs(model), PairOperationsTest.sortedPairs(rdd.collect()),
                "chain " + chain);
        assertEquals(model.size(), rdd.count(), "count after collect, chain " + chain);
    }

    private static int size(Iterable<?> values) {
        int n = 0;
        for (Object ignored : values) {
            n++;
        }
        return n;
    }

    private static List<Pair<String, Integer>> pairsOf(Map<String, Integer> map) {
        List<Pair<String, Integer>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Pair.of(k, v)));
        return out;
    }
}
