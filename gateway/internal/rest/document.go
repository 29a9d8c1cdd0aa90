package rest

import (
	"context"
	"fmt"
	"mime"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

// documentPath is the printable contract. It is not in the HTTP mapping because the answer is
// a PDF, not JSON: the route calls the gRPC method and writes the bytes as they are.
const documentPath = "/v1/contracts/{id}/document"

// Contracts registers the contracts service's REST routes and the contract document route.
func Contracts(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
	client := contractsv1.NewContractServiceClient(cc)
	if err := contractsv1.RegisterContractServiceHandlerClient(ctx, mux, client); err != nil {
		return fmt.Errorf("register contracts: %w", err)
	}
	if err := mux.HandlePath(http.MethodGet, documentPath, document(mux, client)); err != nil {
		return fmt.Errorf("register %s: %w", documentPath, err)
	}
	return nil
}

func document(mux *runtime.ServeMux, client contractsv1.ContractServiceClient) runtime.HandlerFunc {
	const method = "/cohabit.contracts.v1.ContractService/GetContractDocument"
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		_, out := runtime.MarshalerForRequest(mux, r)
		// AnnotateContext forwards the Authorization and X-Request-Id headers like every
		// generated route does.
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, method, runtime.WithHTTPPathPattern(documentPath))
		if err != nil {
			runtime.HTTPError(r.Context(), mux, out, w, r, err)
			return
		}
		// ?language=en prints the English translation; French is the default and the original.
		doc, err := client.GetContractDocument(ctx, &contractsv1.GetContractDocumentRequest{Id: params["id"], Language: r.URL.Query().Get("language")})
		if err != nil {
			runtime.HTTPError(ctx, mux, out, w, r, err)
			return
		}
		w.Header().Set("Content-Type", doc.GetContentType())
		w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.GetFilename()}))
		w.Header().Set("Cache-Control", "private, no-store")
		_, _ = w.Write(doc.GetContent())
	}
}
