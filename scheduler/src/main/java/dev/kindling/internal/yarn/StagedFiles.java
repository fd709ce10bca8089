package dev.kindling.internal.yarn;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * The files of one application in its staging directory on the default file system, and their list as
 * YARN local resources: the driver's class path (each directory packed into a jar first) and the
 * Hadoop configuration as {@value #HADOOP_CONF}. The list travels to the application master as
 * lines of {@code name, size, modification time, URI} (tab-separated) so it can give executors the
 * same resources; {@link #classPath()} is the container's class path, relative to its working directory.
 */
final class StagedFiles {

    /** The Hadoop configuration's file name in a container's working directory (also on its class path). */
    static final String HADOOP_CONF = "core-site.xml";

    private final Map<String, LocalResource> resources;
    private final List<String> classPath;

    private StagedFiles(Map<String, LocalResource> resources, List<String> classPath) {
        this.resources = resources;
        this.classPath = classPath;
    }

    /**
     * Copies every entry of {@code localClassPath} (jars as they are, directories packed into jars in
     * {@code scratch}) and {@code hadoopConf} (a file) into {@code stagingDir}, which must not exist yet.
     */
    static StagedFiles upload(FileSystem fs, org.apache.hadoop.fs.Path stagingDir, List<String> localClassPath,
                              Path hadoopConf, Path scratch) throws IOException {
        if (!fs.mkdirs(stagingDir)) {
            throw new IOException("Cannot create the staging directory " + stagingDir + " on " + fs.getUri());
        }
        Map<String, LocalResource> resources = new LinkedHashMap<>();
        List<String> classPath = new ArrayList<>();
        classPath.add(".");
        int i = 0;
        for (String entry : localClassPath) {
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                continue; // a class path may name what is not there; so does Java
            }
            Path file = p;
            String base = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                file = scratch.resolve(String.format("dir-%03d.jar", i));
                pack(p, file);
                base = base + ".jar";
            } else if (!base.endsWith(".jar") && !base.endsWith(".zip")) {
                continue;
            }
            String name = String.format("cp-%03d-%s", i++, base);
            resources.put(name, copy(fs, file, new org.apache.hadoop.fs.Path(stagingDir, name)));
            classPath.add(name);
        }
        resources.put(HADOOP_CONF, copy(fs, hadoopConf, new org.apache.hadoop.fs.Path(stagingDir, HADOOP_CONF)));
        return new StagedFiles(resources, classPath);
    }

    private static LocalResource copy(FileSystem fs, Path local, org.apache.hadoop.fs.Path remote) throws IOException {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), remote);
        FileStatus status = fs.getFileStatus(remote);
        return LocalResource.newInstance(URL.fromPath(fs.makeQualified(remote)), LocalResourceType.FILE,
                LocalResourceVisibility.APPLICATION, status.getLen(), status.getModificationTime());
    }

    /** Packs the files under {@code dir} into the jar {@code jar}, with paths relative to {@code dir}. */
    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    /** The resources by their name in a container's working directory. */
    Map<String, LocalResource> resources() {
        return resources;
    }

    /** The class path of a container: its working directory (for the configuration), then the staged jars. */
    String classPath() {
        return String.join(File.pathSeparator, classPath);
    }

    /** The list as lines for the application master. */
    String encode() {
        StringBuilder out = new StringBuilder();
        resources.forEach((name, r) -> {
            try {
                out.append(name).append('\t').append(r.getSize()).append('\t').append(r.getTimestamp()).append('\t')
                        .append(r.getResource().toPath().toUri()).append('\n');
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException("A staged file has no valid URI: " + r.getResource(), e);
            }
        });
        return out.toString();
    }

    /** Reads {@link #encode()}'s lines back. */
    static Map<String, LocalResource> decode(String lines) {
        Map<String, LocalResource> out = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IllegalArgumentException("A staged file line must have 4 tab-separated fields (got \"" + line + "\")");
            }
            out.put(f[0], LocalResource.newInstance(URL.fromURI(URI.create(f[3])), LocalResourceType.FILE,
                    LocalResourceVisibility.APPLICATION, Long.parseLong(f[1]), Long.parseLong(f[2])));
        }
        return out;
    }
}
