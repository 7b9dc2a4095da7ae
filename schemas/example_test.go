package schemas_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/ehf-project/ehf/schemas"
)

// Install the Peppol billing rules and the UBL schemas from their official
// sources, then find the files that apply to an invoice.
func ExampleInstaller_Install() {
	home, err := schemas.Home(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	inst := &schemas.Installer{Home: home}
	if _, err := inst.Install(context.Background(), "ubl-2.1", "peppol-billing-2026.5"); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("invoice.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	info, err := schemas.Sniff(f)
	if err != nil {
		log.Fatal(err)
	}
	installed, err := schemas.Installed(home)
	if err != nil {
		log.Fatal(err)
	}
	files, err := installed.Resolve(schemas.Select(info, time.Now()))
	if err != nil {
		log.Fatal(err) // names the "ehf schemas install" to run
	}
	fmt.Println(files.XSD)
	for _, r := range files.Rules {
		fmt.Println(strings.Join(r.Files, "\n"))
	}
}
