package dev.kindling.reliability;

/** The exception reliability tests throw from user code on purpose. */
final class InjectedFailure extends RuntimeException {

    InjectedFailure(String message) {
        super(message);
    }
}
