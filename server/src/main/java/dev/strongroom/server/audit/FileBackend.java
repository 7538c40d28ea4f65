package dev.strongroom.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log backend: JSON lines, one event per line, each sealed into the log's hash chain ({@link Chain}).
 *
 * <p>Requests never wait for it (unless fail-closed): events go into a bounded queue that one writer thread drains
 * in batches, one {@code write} per batch. A full queue drops the event, counts it and says so loudly in the server
 * log. An entry that asks to be durable (fail-closed mode) is completed only after its batch is written and
 * {@code fdatasync}ed; batching makes that a group commit.
 *
 * <p>Rotation as kube-apiserver's (lumberjack): when the next line would take the file past {@code maxBytes}, the file
 * is renamed to {@code audit-2006-01-02T15-04-05.000.log} (UTC) and a new one started; rotated files beyond
 * {@code maxBackups} or older than {@code maxAgeDays} are deleted, and the signed checkpoint records the chain position
 * up to which events were deleted on purpose. The chain continues across files and across restarts (it resumes from
 * the last line on disk, or from the checkpoint if that is further).
 *
 * <p>If the file at the path is replaced or removed (logrotate, an operator), the writer reopens the path before the
 * next batch. A failed write closes the file, rolls the chain back (unwritten events do not use up sequence
 * numbers), truncates any partial line it left, and the next batch reopens and tries again.
 */
public final class FileBackend implements AuditBackend {
    private static final Logger log = LoggerFactory.getLogger(FileBackend.class);
    /** Events held for the writer; at ~1 KiB each, at most ~64 MiB. */
    public static final int QUEUE_CAPACITY = 65_536;
    private static final int MAX_BATCH = 4096;
    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");

    private final Path path; // null for stdout
    private final long maxBytes;
    private final int maxAgeDays;
    private final int maxBackups;
    private final Duration checkpointInterval;
    private final java.security.KeyPair signer; // null: no checkpoints
    private final Clock clock;
    /** Lock-free, bounded by {@link #queued}: producers never wait for, nor wake, the writer (it polls every millisecond). */
    private final ConcurrentLinkedQueue<AuditEntry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private final java.util.concurrent.ExecutorService checkpointer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean checkpointing = new java.util.concurrent.atomic.AtomicBoolean();
    /** How long the writer sleeps when it finds nothing to write. */
    private static final long IDLE_NANOS = 1_000_000L;

    // writer-thread state
    private final Chain chain;
    private FileChannel channel;
    private Object fileKey;
    private long size;
    private boolean failing;
    private long lostAtFailureStart;
    private long lastFailureLog;
    private long prunedThrough;
    private byte[] prunedHash = Chain.GENESIS;
    private long checkpointedSeq = -1;
    private long lastCheckpointNanos = System.nanoTime();
    private long lastDropLog;

    private FileBackend(Path path, long maxBytes, int maxAgeDays, int maxBackups, Duration checkpointInterval,
                        java.security.KeyPair signer, Clock clock, int capacity) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxAgeDays = maxAgeDays;
        this.maxBackups = maxBackups;
        this.checkpointInterval = checkpointInterval;
        this.signer = signer;
        this.clock = clock;
        this.capacity = capacity;
        if (path == null) {
            chain = Chain.fresh();
            channel = new FileOutputStream(FileDescriptor.out).getChannel();
        } else {
            Path dir = path.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            chain = recover();
            open();
        }
        writer = new Thread(this::run, "audit-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * @param maxBytes  rotate before the file would exceed this many bytes; 0 never
     * @param signer    the checkpoint key; null writes no checkpoints
     */
    public static FileBackend open(Path path, long maxBytes, int maxAgeDays, int maxBackups, Duration checkpointInterval,
                                   java.security.KeyPair signer, Clock clock) throws IOException {
        return new FileBackend(path.toAbsolutePath().normalize(), maxBytes, maxAgeDays, maxBackups, checkpointInterval, signer, clock, QUEUE_CAPACITY);
    }

    /** {@code --audit-log-path=-}: standard output, chained, no rotation or checkpoints. */
    public static FileBackend stdout(Clock clock) throws IOException {
        return new FileBackend(null, 0, 0, 0, Duration.ofDays(365), null, clock, QUEUE_CAPACITY);
    }

    public Path path() { return path; }

    @Override
    public String describe() { return path == null ? "audit log on standard output" : "audit log " + path; }

    @Override
    public long lost() { return lost.get(); }

    /** Events written so far by this process. */
    public long written() { return written.get(); }

    @Override
    public boolean offer(AuditEntry e) {
        if (!running) {
            countLost(1);
            if (e.durable() != null) e.durable().completeExceptionally(new IOException(describe() + " is closed"));
            return false;
        }
        if (queued.incrementAndGet() <= capacity) {
            queue.add(e);
            // Only a request that waits (fail-closed) wakes the writer; others are picked up within a millisecond,
            // which saves a futex wake per event on the request path.
            if (e.durable() != null) LockSupport.unpark(writer);
            return true;
        }
        queued.decrementAndGet();
        countLost(1);
        long now = System.nanoTime();
        if (now - lastDropLog > 1_000_000_000L) { // at most one line a second, but never silent
            lastDropLog = now;
            log.error("AUDIT EVENTS DROPPED: {} cannot keep up ({} events buffered); {} events lost so far", describe(), queued.get(), lost.get());
        }
        if (e.durable() != null) e.durable().completeExceptionally(new IOException(describe() + ": buffer full"));
        return false;
    }

    private void countLost(long n) { lost.addAndGet(n); }

    // ------------------------------------------------------------------------------------------------ writer thread

    private void run() {
        List<AuditEntry> batch = new ArrayList<>(256);
        Bytes buf = new Bytes(1 << 16);
        try {
            while (running || !queue.isEmpty()) {
                for (AuditEntry e; batch.size() < MAX_BATCH && (e = queue.poll()) != null; ) batch.add(e);
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                } else {
                    queued.addAndGet(-batch.size());
                    writeBatch(batch, buf);
                    batch.clear();
                }
                if (System.nanoTime() - lastCheckpointNanos >= checkpointInterval.toNanos()) checkpoint(false, null, false, false);
            }
        } catch (RuntimeException | Error e) {
            log.error("audit log writer stopped unexpectedly", e);
        } finally {
            checkpointer.shutdown();
            try {
                if (!checkpointer.awaitTermination(30, TimeUnit.SECONDS)) log.warn("audit checkpoint thread did not finish");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (path != null) checkpoint(true, null, false, true);
            closeChannel();
        }
    }

    private void writeBatch(List<AuditEntry> batch, Bytes buf) {
        boolean sync = false;
        for (AuditEntry e : batch) sync |= e.durable() != null;
        int done = 0; // entries of the batch that are on disk
        while (done < batch.size()) {
            Chain.Mark mark = chain.mark();
            long committed = size;
            buf.clear();
            int upTo = done;
            try {
                ensureOpen();
                // Fill one segment: as many lines as fit in the current file.
                while (upTo < batch.size()) {
                    int before = buf.length();
                    Chain.Mark lineMark = chain.mark();
                    chain.seal(batch.get(upTo), buf);
                    if (maxBytes > 0 && path != null && size + buf.length() > maxBytes && size + before > 0) {
                        chain.reset(lineMark); // this line goes into the next file
                        buf.truncate(before);
                        break;
                    }
                    upTo++;
                }
                writeFully(buf.asBuffer());
                size += buf.length();
                if (sync && path != null) channel.force(false);
                for (int i = done; i < upTo; i++) {
                    AuditEntry e = batch.get(i);
                    if (e.durable() != null) e.durable().complete(null);
                }
                written.addAndGet(upTo - done);
                done = upTo;
                if (failing) recovered();
                if (done < batch.size()) rotate();
            } catch (IOException | RuntimeException ex) {
                chain.reset(mark);
                failed(ex, committed);
                for (int i = done; i < batch.size(); i++) {
                    AuditEntry e = batch.get(i);
                    if (e.durable() != null) e.durable().completeExceptionally(ex);
                }
                countLost(batch.size() - done);
                return;
            }
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    private void failed(Exception ex, long committed) {
        if (!failing) {
            failing = true;
            lostAtFailureStart = lost.get();
            log.error("AUDIT LOG NOT WRITABLE: {}: {}; events are being lost{}", describe(), ex.toString(),
                    " (requests are refused if --audit-fail-closed is set)");
            lastFailureLog = System.nanoTime();
        } else if (System.nanoTime() - lastFailureLog > 10_000_000_000L) {
            lastFailureLog = System.nanoTime();
            log.error("AUDIT LOG STILL NOT WRITABLE: {}: {}; {} events lost so far", describe(), ex.toString(), lost.get());
        }
        if (path == null) return;
        // Remove a partial line we may have left, so the file stays a sequence of whole lines.
        try {
            if (channel != null && channel.isOpen() && channel.size() > committed && Files.isRegularFile(path)) channel.truncate(committed);
        } catch (IOException | RuntimeException ignored) {
            // the file may be gone or not a regular file; reopening decides
        }
        closeChannel();
    }

    private void recovered() {
        failing = false;
        log.warn("audit log {} is writable again; {} events were lost while it was not", describe(), lost.get() - lostAtFailureStart);
    }

    // ------------------------------------------------------------------------------------------------ files

    /** Reopens the path if it is closed, was replaced or removed (logrotate, an operator, a failed write). */
    private void ensureOpen() throws IOException {
        if (path == null) return;
        if (channel != null && channel.isOpen()) {
            Object key;
            try {
                key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                key = null;
            }
            if (key != null && key.equals(fileKey)) return;
            log.warn("audit log {} was replaced or removed; reopening it", path);
            closeChannel();
        }
        open();
    }

    private void open() throws IOException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        boolean created = !Files.exists(path);
        channel = created
                ? FileChannel.open(path, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : FileChannel.open(path, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        if (Files.isRegularFile(path)) {
            // One writer per log: two servers appending to one file would interleave two chains.
            java.nio.channels.FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                channel = null;
                throw new IOException("audit log " + path + " is being written by another server");
            }
        }
        size = channel.size();
        if (size > 0 && Files.isRegularFile(path) && !endsWithNewline()) {
            // A crash (or someone) cut the last line short: keep it as evidence, but start ours on a line of its own.
            writeFully(ByteBuffer.wrap(new byte[]{'\n'}));
            size++;
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            r.read(one, r.size() - 1);
            return one.get(0) == '\n';
        }
    }

    private void closeChannel() {
        if (channel == null || path == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
        channel = null;
        fileKey = null;
    }

    private void rotate() throws IOException {
        FileChannel old = channel; // synced and closed by the checkpoint thread, not here (see checkpoint)
        channel = null;
        fileKey = null;
        Path backup = backupName(clock.instant());
        Files.move(path, backup);
        open();
        prune();
        checkpoint(true, old, true, false);
    }

    private Path backupName(Instant t) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        // Two rotations within a millisecond: the later one takes the next free millisecond, so that names keep
        // sorting in the order the files were written (retention and verify rely on it).
        while (true) {
            Path p = path.resolveSibling(base + "-" + BACKUP_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + ext);
            if (!Files.exists(p) && !laterBackupExists(p)) return p;
            t = t.plusMillis(1);
        }
    }

    private boolean laterBackupExists(Path candidate) {
        try {
            List<Path> b = backups(path);
            return !b.isEmpty() && b.get(b.size() - 1).getFileName().toString().compareTo(candidate.getFileName().toString()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Rotated files of this log, oldest first (their names sort by time). */
    static List<Path> backups(Path path) throws IOException {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(base + "-") && n.endsWith(ext) && n.length() > base.length() + 1 + ext.length()
                        && Character.isDigit(n.charAt(base.length() + 1)) && Files.isRegularFile(p)) out.add(p);
            }
        }
        out.sort(null);
        return out;
    }

    private void prune() {
        try {
            List<Path> all = backups(path);
            List<Path> remove = new ArrayList<>();
            Instant cutoff = clock.instant().minus(Duration.ofDays(maxAgeDays));
            for (int i = 0; i < all.size(); i++) {
                boolean tooMany = maxBackups > 0 && all.size() - i > maxBackups;
                boolean tooOld = maxAgeDays > 0 && Files.getLastModifiedTime(all.get(i)).toInstant().isBefore(cutoff);
                if (tooMany || tooOld) remove.add(all.get(i));
                else break; // keep the remaining ones contiguous: the oldest go first
            }
            for (Path p : remove) {
                ChainLink last = ChainLink.lastOf(p);
                if (last != null && last.seq() > prunedThrough) {
                    prunedThrough = last.seq();
                    prunedHash = last.hash();
                }
                Files.delete(p);
                log.info("deleted rotated audit log {} (retention: --audit-log-maxbackup={}, --audit-log-maxage={})", p, maxBackups, maxAgeDays);
            }
        } catch (IOException e) {
            log.warn("cannot apply audit log retention in {}: {}", path.getParent(), e.toString());
        }
    }

    /**
     * Writes a signed checkpoint of where the chain stands, after syncing the file. Periodic checkpoints and those
     * at rotation run on their own thread, so an fsync of a large file never stalls the writer (whose queue would
     * then overflow); the last one, at shutdown, runs here.
     *
     * @param force   even if nothing was written since the last one, and even if one is still in progress
     * @param toSync  the channel holding the events the checkpoint covers (null: the current one)
     * @param closeIt close {@code toSync} once synced (a rotated-away file)
     * @param inline  run on this thread
     */
    private void checkpoint(boolean force, FileChannel toSync, boolean closeIt, boolean inline) {
        lastCheckpointNanos = System.nanoTime();
        FileChannel ch = toSync != null ? toSync : channel;
        boolean skip = signer == null || path == null || chain.seq() == 0 || failing || (!force && chain.seq() == checkpointedSeq);
        if (skip) {
            if (closeIt) checkpointer.execute(() -> syncAndClose(ch));
            return;
        }
        if (!force && !checkpointing.compareAndSet(false, true)) return; // the previous one is still syncing
        if (force) checkpointing.set(true);
        long seq = chain.seq();
        byte[] hash = chain.lastHash();
        long pt = prunedThrough;
        byte[] ph = prunedHash;
        checkpointedSeq = seq;
        Runnable task = () -> {
            try {
                if (ch != null) {
                    try {
                        if (ch.isOpen()) ch.force(false);
                    } catch (java.nio.channels.ClosedChannelException e) {
                        // closed by a rotation, which synced it first
                    }
                    if (closeIt) ch.close();
                }
                Checkpoint c = Checkpoint.sign(signer, path.getFileName().toString(), seq, hash, pt, ph, MicroTime.format(clock.instant()));
                c.write(Checkpoint.fileFor(path));
            } catch (IOException | RuntimeException e) {
                log.warn("cannot write the audit checkpoint for {}: {}", path, e.toString());
            } finally {
                checkpointing.set(false);
            }
        };
        if (inline) task.run();
        else checkpointer.execute(task);
    }

    private static void syncAndClose(FileChannel ch) {
        try {
            ch.force(false);
            ch.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort: nothing depends on it
        }
    }

    /** Where the chain stands on disk: the last line of the log or of its newest rotated file, or the checkpoint. */
    private Chain recover() throws IOException {
        ChainLink last = ChainLink.lastOf(path);
        if (last == null) {
            List<Path> b = backups(path);
            for (int i = b.size() - 1; i >= 0 && last == null; i--) last = ChainLink.lastOf(b.get(i));
        }
        Checkpoint cp = null;
        try {
            cp = Checkpoint.read(Checkpoint.fileFor(path));
        } catch (IOException e) {
            log.warn("ignoring unreadable audit checkpoint {}: {}", Checkpoint.fileFor(path), e.toString());
        }
        if (cp != null) {
            prunedThrough = cp.prunedThrough();
            prunedHash = parseHex(cp.prunedHash(), Chain.GENESIS);
        }
        long seq = last == null ? 0 : last.seq();
        if (cp != null && cp.seq() > seq) {
            log.error("AUDIT LOG TAIL MISSING: {} ends at event {} but its signed checkpoint of {} covers event {}; "
                    + "continuing the chain after the checkpoint (`strongroom audit verify` will report the gap)", path, seq, cp.time(), cp.seq());
            checkpointedSeq = cp.seq();
            return new Chain(cp.seq(), parseHex(cp.hash(), Chain.GENESIS));
        }
        if (cp != null) checkpointedSeq = cp.seq();
        return last == null ? Chain.fresh() : new Chain(last.seq(), last.hash());
    }

    private static byte[] parseHex(String s, byte[] dflt) {
        try {
            return s == null || s.isEmpty() ? dflt : java.util.HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            return dflt;
        }
    }

    /** Writes what is queued (waiting at most {@code deadline}), a final checkpoint, and closes the file. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            countLost(left);
            log.error("AUDIT EVENTS LOST at shutdown: {} events still queued for {}", left, describe());
        }
        if (path == null) {
            try {
                channel.force(false);
            } catch (IOException | RuntimeException ignored) {
                // stdout may not support it
            }
        }
    }

    @Override
    public String toString() { return describe(); }

    /** For tests: the chain position of the last written event. */
    long seqForTest() { return chain.seq(); }

    static boolean sameFile(Object a, Object b) { return Objects.equals(a, b); }
}
