package dev.kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.KindlingContext;
import dev.kindling.Pair;
import dev.kindling.RDD;
import dev.kindling.storage.StorageLevel;
import dev.kindling.testing.ContextConfiguration;
import dev.kindling.testing.EveryContextConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random chains of operators, narrow and wide, applied both to an RDD and to a plain list model;
 * the results must be equal as multisets (sorted). Finds bugs that only show when operators are
 * combined: partitioner reuse across shuffles, prepared lineages, reused shuffle output. Runs under
 * every {@link ContextConfiguration}; the chain's result is cached at the configuration's level.
 */
@EveryContextConfiguration
class RandomChainsTest {

    private static final List<Integer> OTHER = List.of(0, 3, 6, 9, 12, 15, 100, 101, 102, 500);

    /** One operator, with its effect on the RDD and on the list model. */
    enum Op {
        MAP {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.map(x -> (x * 7 + arg) % 1000);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list.stream().map(x -> (x * 7 + arg) % 1000).collect(Collectors.toList());
            }
        },
        FILTER {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.filter(x -> x % (arg % 4 + 2) != 0);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list.stream().filter(x -> x % (arg % 4 + 2) != 0).collect(Collectors.toList());
            }
        },
        FLAT_MAP {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.flatMap(x -> x % 5 == 0 ? List.of(x, x + 1).iterator() : List.of(x).iterator());
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list.stream().flatMap(x -> x % 5 == 0 ? List.of(x, x + 1).stream() : List.of(x).stream())
                        .collect(Collectors.toList());
            }
        },
        DISTINCT {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.distinct(arg % 5 + 1);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return new ArrayList<>(new LinkedHashSet<>(list));
            }
        },
        UNION_SELF {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.union(rdd);
            }

            List<Integer> model(List<Integer> list, int arg) {
                List<Integer> out = new ArrayList<>(list);
                out.addAll(list);
                return out;
            }
        },
        REPARTITION {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.repartition(arg % 6 + 1);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list;
            }
        },
        COALESCE {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.coalesce(arg % 3 + 1);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list;
            }
        },
        SORT_BY {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.sortBy(x -> -x, arg % 2 == 0, arg % 4 + 1);
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list;
            }
        },
        INTERSECTION {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.intersection(rdd.context().parallelize(OTHER, 2));
            }

            List<Integer> model(List<Integer> list, int arg) {
                Set<Integer> other = new HashSet<>(OTHER);
                return list.stream().filter(other::contains).distinct().collect(Collectors.toList());
            }
        },
        SUBTRACT {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.subtract(rdd.context().parallelize(OTHER, 3));
            }

            List<Integer> model(List<Integer> list, int arg) {
                Set<Integer> other = new HashSet<>(OTHER);
                return list.stream().filter(x -> !other.contains(x)).collect(Collectors.toList());
            }
        },
        SUM_BY_RESIDUE {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                int m = arg % 9 + 2;
                return rdd.mapToPair(x -> Pair.of(x % m, x)).reduceByKey(Integer::sum).values();
            }

            List<Integer> model(List<Integer> list, int arg) {
                int m = arg % 9 + 2;
                Map<Integer, Integer> sums = new HashMap<>();
                list.forEach(x -> sums.merge(x % m, x, Integer::sum));
                return new ArrayList<>(sums.values());
            }
        },
        GROUP_SIZES {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.groupBy(x -> x % 10, arg % 3 + 1).mapValues(vs -> {
                    int n = 0;
                    for (Integer ignored : vs) {
                        n++;
                    }
                    return n;
                }).values();
            }

            List<Integer> model(List<Integer> list, int arg) {
                return new ArrayList<>(list.stream().collect(Collectors.groupingBy(x -> x % 10,
                        Collectors.summingInt(x -> 1))).values());
            }
        },
        ZIP_WITH_INDEX {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.zipWithIndex().keys();
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list;
            }
        },
        CACHE {
            RDD<Integer> apply(RDD<Integer> rdd, int arg) {
                return rdd.map(x -> x).cache();
            }

            List<Integer> model(List<Integer> list, int arg) {
                return list;
            }
        };

        abstract RDD<Integer> apply(RDD<Integer> rdd, int arg);

        abstract List<Integer> model(List<Integer> list, int arg);
    }

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRandomChainMatchesTheListModel(long seed, KindlingContext kc, ContextConfiguration cfg) {
        Random random = new Random(seed);
        List<Integer> data = RandomData.ints(seed, random.nextInt(300), 200);
        RDD<Integer> rdd = kc.parallelize(data, random.nextInt(6) + 1);
        List<Integer> model = data;
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
        if (rdd.getStorageLevel() == StorageLevel.NONE) { // a CACHE step may have cached it already
            rdd.persist(cfg.cacheLevel());
        }

        assertEquals(sorted(model), sorted(rdd.collect()), "chain " + chain);
        assertEquals(model.size(), rdd.count(), "count after collect, chain " + chain);
    }

    private static List<Integer> sorted(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
