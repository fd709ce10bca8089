package dev.kindling.internal.hadoop;

import dev.kindling.internal.io.OutputFs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;

/**
 * {@link OutputFs} on one Hadoop file system (one scheme and authority, e.g. {@code hdfs://nn:8020}):
 * a {@link Path} {@code /a/b} is the file system's {@code /a/b}. Renames go through
 * {@link FileContext#rename} without overwrite, which HDFS performs atomically and refuses onto an
 * existing path (unlike {@code FileSystem.rename}, which moves a source into an existing directory).
 * Equal when the file system URI is equal, so that inputs and outputs on it can be compared. The
 * {@link FileSystem} comes from Hadoop's JVM-wide cache ({@code FileSystem.get}), shared with every
 * other user of that file system in the JVM, so it is not closed here (Hadoop closes its cache at
 * JVM exit); every stream opened through this class is closed by its caller.
 */
final class HadoopOutputFs implements OutputFs {

    private final URI root;
    private final FileSystem fs;
    private final FileContext files;

    private HadoopOutputFs(URI root, FileSystem fs, FileContext files) {
        this.root = root;
        this.fs = fs;
        this.files = files;
    }

    /** The file system of the URI {@code uri}, from a fresh configuration (the class path's *-site.xml). */
    static HadoopOutputFs of(URI uri) throws IOException {
        Configuration conf = new Configuration();
        FileSystem fs = FileSystem.get(uri, conf);
        URI root = fs.getUri();
        return new HadoopOutputFs(root, fs, FileContext.getFileContext(root, conf));
    }

    /** The Hadoop path of {@code p}, qualified with this file system's scheme and authority. */
    org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(root.getScheme(), root.getAuthority(), p.toString());
    }

    /** The local-style path of the qualified Hadoop path {@code p}. */
    static Path local(org.apache.hadoop.fs.Path p) {
        String path = p.toUri().getPath();
        return Path.of(path.isEmpty() ? "/" : path);
    }

    /** The Hadoop file system itself. */
    FileSystem fileSystem() {
        return fs;
    }

    @Override
    public boolean exists(Path p) {
        try {
            return fs.exists(hadoop(p));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(Path p) {
        FileStatus status = status(p);
        return status != null && status.isDirectory();
    }

    @Override
    public boolean isRegularFile(Path p) {
        FileStatus status = status(p);
        return status != null && status.isFile();
    }

    private FileStatus status(Path p) {
        try {
            return fs.getFileStatus(hadoop(p));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void createDirectory(Path p) throws IOException {
        try {
            files.mkdir(hadoop(p), null, false);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw (FileAlreadyExistsException) new FileAlreadyExistsException(show(p)).initCause(e);
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(show(p.getParent())).initCause(e);
        }
    }

    @Override
    public void createDirectories(Path p) throws IOException {
        if (!fs.mkdirs(hadoop(p))) {
            throw new IOException("Cannot create the directory " + show(p));
        }
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(hadoop(dir));
        Arrays.sort(children);
        List<Path> out = new ArrayList<>(children.length);
        for (FileStatus c : children) {
            out.add(dir.resolve(c.getPath().getName()));
        }
        return out;
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        try {
            files.rename(hadoop(from), hadoop(to), Options.Rename.NONE);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw (FileAlreadyExistsException) new FileAlreadyExistsException(show(from), show(to), "exists").initCause(e);
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(show(from), show(to), e.getMessage()).initCause(e);
        }
    }

    @Override
    public OutputStream create(Path p) throws IOException {
        try {
            // FileContext creates no missing parents unless asked (FileSystem.create always does).
            return files.create(hadoop(p), EnumSet.of(CreateFlag.CREATE));
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw (FileAlreadyExistsException) new FileAlreadyExistsException(show(p)).initCause(e);
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(show(p.getParent())).initCause(e);
        }
    }

    @Override
    public InputStream open(Path p) throws IOException {
        try {
            return fs.open(hadoop(p));
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(show(p)).initCause(e);
        }
    }

    @Override
    public long size(Path p) throws IOException {
        return fs.getFileStatus(hadoop(p)).getLen();
    }

    @Override
    public void deleteIfExists(Path p) throws IOException {
        fs.delete(hadoop(p), false);
    }

    @Override
    public void deleteQuietly(Path p) {
        try {
            fs.delete(hadoop(p), true);
        } catch (IOException | RuntimeException ignored) {
            // Best effort, as on the local disk.
        }
    }

    @Override
    public String show(Path p) {
        return hadoop(p).toString();
    }

    @Override
    public Path real(Path p) {
        return p.normalize();
    }

    @Override
    public Path home() {
        return local(fs.getHomeDirectory());
    }

    @Override
    public Path workingDirectory() {
        return local(fs.getWorkingDirectory());
    }

    @Override
    public String deleteCommand() {
        return "hdfs dfs -rm -r";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopOutputFs other && other.root.equals(root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
