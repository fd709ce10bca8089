/** Kindling's runnable example programs; they use only the public API. */
module dev.kindling.examples {
    requires dev.kindling.core;
    // Each example's command line (--help, usage errors) is a picocli command.
    requires info.picocli;

    exports dev.kindling.examples;

    // LabeledPoint and PointBlock are cached serialized and go through Kryo; picocli sets the
    // annotated option fields of the examples' commands.
    opens dev.kindling.examples to com.esotericsoftware.kryo, info.picocli;
}
