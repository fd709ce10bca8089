#!/usr/bin/env bash
# Builds the benchmarks (without tests) and runs one of them:
#   benchmarks/run.sh [--spark] <CoreBenchmark|LogRegBenchmark|PlainBenchmark> [options...]
#   benchmarks/run.sh jmh [JMH options, e.g. TinyJobJmh -f 1]
# --spark builds with -Pspark so Apache Spark 4 (local[threads]) runs beside Kindling and the
# hand-written code. Results go to benchmarks/results/<name>.csv and .svg (change with --out DIR).
# KINDLING_BENCH_JAVA_OPTS adds JVM options (default heap: -Xmx6g).
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE=""
if [ "${1:-}" = "--spark" ]; then
  PROFILE="-Pspark"
  shift
fi
USAGE="usage: benchmarks/run.sh [--spark] <CoreBenchmark|LogRegBenchmark|PlainBenchmark|GdSameJvmTimer|CombineMapBenchmark|StorageBenchmark|ScratchFileBenchmark|StreamingBenchmark|TinyJobTimer|UiOverheadTimer|jmh> [options...]
  benchmarks/run.sh <Benchmark> --help   lists that benchmark's options and defaults"
if [ $# -lt 1 ]; then
  echo "$USAGE" >&2
  exit 2
fi
if [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
  echo "$USAGE"
  exit 0
fi
BENCH="$1"
shift
(cd "$ROOT" && rm -rf benchmarks/target/lib && mvn -B -q -o -DskipTests package -pl benchmarks -am $PROFILE) >&2
CP="$(ls "$ROOT"/benchmarks/target/kindling-benchmarks-*.jar | grep -v -- '-tests.jar' | head -n 1):$ROOT/benchmarks/target/lib/*"
# Spark 4 on Java 17 reaches into JDK internals; these opens are what its launcher passes too.
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
cd "$ROOT"
export SPARK_LOCAL_IP=127.0.0.1  # Spark binds to the loopback interface only
if [ "$BENCH" = "jmh" ]; then
  exec java ${KINDLING_BENCH_JAVA_OPTS:--Xmx6g} -cp "$CP" org.openjdk.jmh.Main "$@"
fi
exec java ${KINDLING_BENCH_JAVA_OPTS:--Xmx6g} $OPENS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" "dev.kindling.benchmarks.$BENCH" "$@"
