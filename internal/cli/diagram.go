package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/diagram"
	"github.com/mlops-platform/mlops-platform/internal/diagram/render"
)

// DiagramOptions are the parsed flags of `mlops diagram`.
type DiagramOptions struct {
	StackOptions
	// File is where the diagram goes (--file); "" or "-" is standard
	// output.
	File string
	// Format is dot, svg or png (-o/--output, as every command's -o is
	// its format); without it File's extension names the format, and
	// without a file it is dot.
	Format string
}

// format resolves the output format from -o and --file.
func (o DiagramOptions) format() (render.Format, error) {
	toFile := o.File != "" && o.File != "-"
	if o.Format != "" {
		f, err := render.ParseFormat(o.Format)
		if err != nil {
			return "", UsageError{err}
		}
		if toFile {
			if ext, err := render.FormatOf(o.File); err == nil && ext != f {
				return "", UsageError{fmt.Errorf("-o %s contradicts the extension of %s", f, o.File)}
			}
		}
		return f, nil
	}
	if !toFile {
		return render.DOT, nil
	}
	f, err := render.FormatOf(o.File)
	if err != nil {
		return "", UsageError{err}
	}
	return f, nil
}

// newDiagramCommand builds `mlops diagram`.
func newDiagramCommand(env Env) *cobra.Command {
	var o DiagramOptions
	cmd := &cobra.Command{
		Use:   "diagram --stack dev|prod [--set key=value]... [-o dot|svg|png] [--file FILE.svg|FILE.png|FILE.dot]",
		Short: "Draw the stack's architecture from the evaluated graph, as DOT, SVG or PNG",
		Long: "diagram evaluates the stack offline like plan and draws what it declares: the VPC with one box per " +
			"availability zone and its subnets and NAT gateways, the EKS cluster with its node groups and add-ons, " +
			"RDS, S3, KMS, IAM roles (IRSA grouped) and the Helm releases by namespace. SVG and PNG are rendered " +
			"in process (Graphviz compiled to WebAssembly); no Graphviz install is needed. The format comes from " +
			"-o (as in every command, -o is the format) or the extension of --file; without either, DOT goes to " +
			"standard output.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.checkStack(); err != nil {
				return err
			}
			f, err := o.format()
			if err != nil {
				return err
			}
			return runDiagram(cmd, env, o, f)
		},
	}
	fs := cmd.Flags()
	o.registerStack(fs, "draw")
	fs.StringVarP(&o.Format, "output", "o", "", "output format: dot, svg or png (default: from the --file extension, else dot)")
	fs.StringVar(&o.File, "file", "", "file to write, its extension naming the format (.svg, .png, .dot); standard output without it")
	return cmd
}

func runDiagram(cmd *cobra.Command, env Env, o DiagramOptions, f render.Format) error {
	res, err := o.source(o.Stack, env.Now()).Evaluate(cmd.Context())
	if err != nil {
		return err
	}
	d, err := diagram.Build(res.Graph)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.Render(cmd.Context(), d.DOT(), f, &buf); err != nil {
		return fmt.Errorf("diagram of stack %s: %w", o.Stack, err)
	}
	if o.File == "" || o.File == "-" {
		_, err := env.Out.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(o.File, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the diagram: %w", err)
	}
	fmt.Fprintf(env.Err, "wrote the %s diagram of stack %s to %s\n", f, o.Stack, o.File)
	return nil
}
