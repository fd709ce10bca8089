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

    /** How {@link #data} is written: the element kind of a primitive array, or objects. */
    private static final byte OBJECTS = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;

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
        byte kind = kindOf(data);
        out.writeByte(kind);
        int n = data.size();
        switch (kind) {
            case INTS -> {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Integer) data.get(i);
                }
                out.writeObject(values);
            }
            case LONGS -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Long) data.get(i);
                }
                out.writeObject(values);
            }
            case DOUBLES -> {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Double) data.get(i);
                }
                out.writeObject(values);
            }
            default -> out.writeObject(data.toArray());
        }
    }

    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte kind = in.readByte();
        Object values = in.readObject();
        List<?> list = switch (kind) {
            case INTS -> Arrays.stream((int[]) values).boxed().toList();
            case LONGS -> Arrays.stream((long[]) values).boxed().toList();
            case DOUBLES -> Arrays.stream((double[]) values).boxed().toList();
            case OBJECTS -> Collections.unmodifiableList(Arrays.asList((Object[]) values));
            default -> throw new java.io.InvalidObjectException("unknown element kind " + kind + " of a parallelized list");
        };
        data = (List<T>) list;
    }

    /** The element kind of {@code list} when every element is one boxed primitive type, else {@link #OBJECTS}. */
    private static byte kindOf(List<?> list) {
        if (list.isEmpty()) {
            return OBJECTS;
        }
        Class<?> first = list.get(0) == null ? null : list.get(0).getClass();
        byte kind = first == Integer.class ? INTS : first == Long.class ? LONGS : first == Double.class ? DOUBLES : OBJECTS;
        if (kind == OBJECTS) {
            return OBJECTS;
        }
        for (Object o : list) {
            if (o == null || o.getClass() != first) {
                return OBJECTS;
            }
        }
        return kind;
    }
}
