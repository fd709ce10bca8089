package dev.kindling;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * A mutable HyperLogLog sketch of the distinct elements seen so far: the per-partition state of
 * {@link RDDActions#countApproxDistinct} and the per-key combiner of {@link PairRDD#countApproxDistinctByKey}.
 * It wraps an Apache DataSketches HLL {@link Union} (8-bit registers; exact coupon lists while the
 * count is small, dense registers once it grows), fed with {@link ElementHash#hash64}.
 *
 * <p>It crosses process and disk boundaries as the sketch's compact byte image, both through Kryo
 * (shuffle spills, {@code MEMORY_ONLY_SER}) and through Java serialization (copies of zero values
 * and results); the image carries the precision, so a deserialized sketch merges with the others.
 *
 * <p>Thread safety: none; a sketch belongs to one task at a time, as shuffle combiners do.
 */
final class DistinctSketch implements Serializable, KryoSerializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private transient Union union;

    /** For Kryo, which then calls {@link #read}. */
    private DistinctSketch() {
    }

    /** An empty sketch with {@code 2^lgConfigK} registers once dense. */
    DistinctSketch(int lgConfigK) {
        this.union = new Union(lgConfigK);
    }

    /** A sketch of one element: a combiner's start. */
    static DistinctSketch of(int lgConfigK, Object first) {
        return new DistinctSketch(lgConfigK).add(first);
    }

    /** Reads a sketch from {@link #toByteArray()}'s image. */
    static DistinctSketch fromByteArray(byte[] image) {
        DistinctSketch s = new DistinctSketch();
        s.union = heapify(image);
        return s;
    }

    /** Adds one element (null included); returns this. */
    DistinctSketch add(Object element) {
        union.update(ElementHash.hash64(element));
        return this;
    }

    /** Adds every element {@code other} has seen; returns this ({@code other} is unchanged). */
    DistinctSketch merge(DistinctSketch other) {
        union.update(other.union.getResult(TgtHllType.HLL_8));
        return this;
    }

    /** The estimated number of distinct elements added, rounded. */
    long estimate() {
        return Math.round(union.getEstimate());
    }

    /** The sketch's precision: log2 of its register count. */
    int lgConfigK() {
        return union.getLgConfigK();
    }

    /** The compact byte image, as DataSketches writes it. */
    byte[] toByteArray() {
        return union.toCompactByteArray();
    }

    @Override
    public void write(Kryo kryo, Output output) {
        byte[] image = toByteArray();
        output.writeVarInt(image.length, true);
        output.writeBytes(image);
    }

    @Override
    public void read(Kryo kryo, Input input) {
        int length = input.readVarInt(true);
        union = heapify(input.readBytes(length));
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        byte[] image = toByteArray();
        out.writeInt(image.length);
        out.write(image);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] image = new byte[in.readInt()];
        in.readFully(image);
        union = heapify(image);
    }

    private static Union heapify(byte[] image) {
        try {
            return Union.heapify(image);
        } catch (RuntimeException e) { // SketchesArgumentException, or a bounds error on a cut image
            throw new IllegalStateException("Cannot read a countApproxDistinct sketch of " + image.length
                    + " bytes: it is not a DataSketches HLL image (" + e.getMessage() + "); the bytes were"
                    + " damaged, or written by another version of the sketch library", e);
        }
    }

    @Override
    public String toString() {
        return "DistinctSketch[lgConfigK=" + lgConfigK() + ", estimate=" + estimate() + "]";
    }
}
