// Command protoset writes the descriptor set of the hosts API (cohabit/hosts/v1, with every
// file it imports) for ghz, which the benchmark table (scripts/bench-table.sh) uses to call
// GetRoom over gRPC directly: the services do not serve reflection.
//
// Usage: protoset -o hosts.protoset
package main

import (
	"flag"
	"log"
	"os"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

func main() {
	out := flag.String("o", "hosts.protoset", "where to write the descriptor set")
	flag.Parse()
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	// Dependencies first, as protoc writes them.
	var add func(f protoreflect.FileDescriptor)
	add = func(f protoreflect.FileDescriptor) {
		if seen[f.Path()] {
			return
		}
		seen[f.Path()] = true
		imports := f.Imports()
		for i := range imports.Len() {
			add(imports.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(f))
	}
	add(hostsv1.File_cohabit_hosts_v1_hosts_proto)
	b, err := proto.Marshal(set)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
