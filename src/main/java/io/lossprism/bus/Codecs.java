package io.lossprism.bus;

import io.lossprism.probes.ProbeSet;
import io.vertx.core.eventbus.EventBus;

/** Registers the local codec of every message type; call once per Vert.x instance. */
public final class Codecs {

    private Codecs() {}

    public static void register(EventBus bus) {
        bus.registerDefaultCodec(BatchReport.class, new LocalCodec<>(BatchReport.class));
        bus.registerDefaultCodec(TrainingStatus.class, new LocalCodec<>(TrainingStatus.class));
        bus.registerDefaultCodec(AlertEvent.class, new LocalCodec<>(AlertEvent.class));
        bus.registerDefaultCodec(AlertSnapshot.class, new LocalCodec<>(AlertSnapshot.class));
        bus.registerDefaultCodec(RunEvent.class, new LocalCodec<>(RunEvent.class));
        bus.registerDefaultCodec(ProbeSet.class, new LocalCodec<>(ProbeSet.class));
    }
}
