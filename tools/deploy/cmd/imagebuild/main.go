// Command imagebuild makes a container image of one static Go binary without a Docker engine
// or a registry: an empty base (no shell, no package manager, no libc), the binary at
// /usr/local/bin/<name>, an /etc/passwd with the non-root user 65532 it runs as, and a
// writable /tmp. It writes a tarball that `docker load`, `podman load` and
// `crane push <tarball> <ref>` accept, and prints the image's digest.
//
// It refuses a binary that is dynamically linked (it would not start on an empty base).
//
//	imagebuild -bin bin/linux/hosts -name hosts -tag cohabit/hosts:dev -o images/hosts.tar
package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// nonRoot is distroless' "nonroot" user and group.
const nonRoot = 65532

func main() {
	bin := flag.String("bin", "", "the static linux/amd64 binary")
	nm := flag.String("name", "", "the command's name (default: the binary's base name)")
	tag := flag.String("tag", "", "the image reference recorded in the tarball (default cohabit/<name>:dev)")
	out := flag.String("o", "", "the tarball to write")
	flag.Parse()
	if *bin == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *nm == "" {
		*nm = filepath.Base(*bin)
	}
	if *tag == "" {
		*tag = "cohabit/" + *nm + ":dev"
	}
	digest, err := build(*bin, *nm, *tag, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
	fmt.Printf("%s %s %s\n", *tag, digest, *out)
}

func build(bin, cmd, tag, out string) (v1.Hash, error) {
	if err := checkStatic(bin); err != nil {
		return v1.Hash{}, err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return v1.Hash{}, err
	}
	layerTar, err := rootfs(cmd, data)
	if err != nil {
		return v1.Hash{}, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return v1.Hash{}, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.AppendLayers(img, layer)
	if err != nil {
		return v1.Hash{}, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return v1.Hash{}, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	cf.Config.Entrypoint = []string{"/usr/local/bin/" + cmd}
	cf.Config.User = fmt.Sprintf("%d:%d", nonRoot, nonRoot)
	cf.Config.WorkingDir = "/home/nonroot"
	cf.Config.Env = []string{"COHABIT_LOG_FORMAT=json", "TMPDIR=/tmp"}
	cf.Config.Labels = map[string]string{"org.opencontainers.image.title": "cohabit-" + cmd}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return v1.Hash{}, err
	}
	ref, err := name.ParseReference(tag)
	if err != nil {
		return v1.Hash{}, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return v1.Hash{}, err
	}
	if err := tarball.WriteToFile(out, ref, img); err != nil {
		return v1.Hash{}, err
	}
	return img.Digest()
}

// checkStatic refuses an ELF binary with a dynamic loader (PT_INTERP) or not for linux/amd64.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return fmt.Errorf("%s: built for %v, want amd64", path, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked: build it with CGO_ENABLED=0", path)
		}
	}
	return nil
}

// rootfs is the image's one layer, with fixed times and owners so that the same binary
// gives the same digest.
func rootfs(cmd string, binary []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	epoch := time.Unix(0, 0)
	dir := func(p string, mode int64, uid int) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: p + "/", Mode: mode, Uid: uid, Gid: uid, ModTime: epoch})
	}
	file := func(p string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: p, Mode: mode, Size: int64(len(data)), ModTime: epoch}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/home/nonroot:/sbin/nologin\n", nonRoot, nonRoot)
	group := fmt.Sprintf("root:x:0:\nnonroot:x:%d:\n", nonRoot)
	steps := []func() error{
		func() error { return dir("etc", 0o755, 0) },
		func() error { return file("etc/passwd", 0o644, []byte(passwd)) },
		func() error { return file("etc/group", 0o644, []byte(group)) },
		func() error { return dir("home", 0o755, 0) },
		func() error { return dir("home/nonroot", 0o700, nonRoot) },
		func() error { return dir("tmp", 0o1777, 0) },
		func() error { return dir("usr", 0o755, 0) },
		func() error { return dir("usr/local", 0o755, 0) },
		func() error { return dir("usr/local/bin", 0o755, 0) },
		func() error { return file("usr/local/bin/"+cmd, 0o755, binary) },
		tw.Close,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
