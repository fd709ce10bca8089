package dev.kindling.internal.rdd;

import dev.kindling.KindlingContext;
import dev.kindling.RDD;
import dev.kindling.scheduler.Dependency;
import dev.kindling.scheduler.TaskContext;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A driver-side list cut into {@code slices} contiguous slices, slice {@code i} being
 * {@code [i*len/n, (i+1)*len/n)} as in Spark. The list is copied at declaration.
 *
 * <p>Every task's binary holds the list, so its serialized form is kept small: a list of only
 * {@code Integer}s, {@code Long}s or {@code Double}s travels as one primitive array rather than an
 * object per element (which made Java serialization most of a tiny job's cost on executor
 * processes); any other list travels as it is.
 */
public final class ParallelCollectionRDD<T> extends RDD<T> {

    private static final long serialVersionUID = 1L;

    private transient List<T> data;
    private final int slices;

    /** Creates the node over a copy of {@code data}. */
    public ParallelCollectionRDD(KindlingContext context, List<T> data, int slices) {
        super(context);
        if (slices < 1) {
            throw new IllegalArgumentException("parallelize needs at least 1 slice (got " + slices + ")");
        }
        this.data = Collections.unmodifiableList(new ArrayList<>(data));
        this.slices = slices;
    }

    @Override
    protected int computeNumPartitions() {
        return slices;
    }

    @Override
    protected List<Dependency> computeDependencies() {
        return List.of();
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext task) {
        int start = (int) ((long) partition * data.size() / slices);
        int end = (int) ((long) (partition + 1) * data.size() / slices);
        task.metrics().addRecordsRead(end - start);
        return data.subList(start, end).iterator();
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeObject(packed(data));
    }

    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Object values = in.readObject();
        List<?> list;
        if (values instanceof int[] ints) {
            list = Arrays.stream(ints).boxed().toList();
        } else if (values instanceof long[] longs) {
            list = Arrays.stream(longs).boxed().toList();
        } else if (values instanceof double[] doubles) {
            list = Arrays.stream(doubles).boxed().toList();
        } else if (values instanceof Object[] objects) {
            list = Collections.unmodifiableList(Arrays.asList(objects));
        } else {
            throw new java.io.InvalidObjectException("a parallelized list written as a "
                    + (values == null ? "null" : values.getClass().getName()));
        }
        data = (List<T>) list;
    }

    /**
     * {@code list} as one primitive array when every element is an {@code Integer}, every one a
     * {@code Long} or every one a {@code Double}; else as an {@code Object[]}.
     */
    private static Object packed(List<?> list) {
        Class<?> first = list.isEmpty() || list.get(0) == null ? null : list.get(0).getClass();
        if (first != Integer.class && first != Long.class && first != Double.class
                || list.stream().anyMatch(o -> o == null || o.getClass() != first)) {
            return list.toArray();
        }
        if (first == Integer.class) {
            return list.stream().mapToInt(o -> (Integer) o).toArray();
        }
        return first == Long.class ? list.stream().mapToLong(o -> (Long) o).toArray()
                : list.stream().mapToDouble(o -> (Double) o).toArray();
    }
}
