package io.lossprism.ingest;

/**
 * An external run as {@link IngestVerticle} holds it: what it declared, whether it has finished (set on
 * the verticle's event loop), and the last step stored (set by its store work, which runs in order).
 */
final class ExternalRun {

    final String id;
    final ExternalRunSpec spec;
    final RecordParser parser;
    final ReportAssembler assembler;
    boolean finished;
    volatile long lastStep;
    volatile int lastEpoch;

    ExternalRun(String id, ExternalRunSpec spec, boolean finished) {
        this.id = id;
        this.spec = spec;
        this.parser = new RecordParser(spec.loss(), spec.classes().size());
        this.assembler = new ReportAssembler(id, spec.classes(), spec.loss());
        this.finished = finished;
    }
}
