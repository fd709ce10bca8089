/** Kindling's runnable example programs; they use only the public API. */
module dev.kindling.examples {
    requires dev.kindling.core;

    exports dev.kindling.examples;

    // LabeledPoint and PointBlock are cached serialized and go through Kryo.
    opens dev.kindling.examples to com.esotericsoftware.kryo;
}
