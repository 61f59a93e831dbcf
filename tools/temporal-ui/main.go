// Command temporal-ui-server serves the pinned Temporal Web UI (ui-server v2) for a frontend address given by flags.
package main

import (
	"flag"
	"log"

	"github.com/temporalio/ui-server/v2/server"
	"github.com/temporalio/ui-server/v2/server/config"
	"github.com/temporalio/ui-server/v2/server/server_options"
)

func main() {
	address := flag.String("address", "127.0.0.1:7233", "Temporal frontend gRPC address")
	ip := flag.String("ip", "127.0.0.1", "address the UI listens on")
	port := flag.Int("port", 8080, "port the UI listens on")
	namespace := flag.String("namespace", "default", "namespace the UI opens first")
	flag.Parse()

	// Plain flags instead of the upstream config folder, so the cluster script needs no files to run it.
	cfg := &config.Config{
		TemporalGRPCAddress: *address,
		Host:                *ip,
		Port:                *port,
		EnableUI:            true,
		DefaultNamespace:    *namespace,
		DisableNewsFetch:    true,
		CORS:                config.CORS{CookieInsecure: true},
	}
	s := server.NewServer(server_options.WithConfigProvider(cfg))
	defer s.Stop()
	if err := s.Start(); err != nil {
		log.Fatalf("temporal-ui-server: %v", err)
	}
}
