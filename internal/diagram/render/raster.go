//go:build diagram

package render

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/fogleman/gg"
	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/gvc"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
)

// newPNGGraphviz is a Graphviz whose png renderer is raster: the image
// renderer go-graphviz v0.2.10 registers by default fills the area under
// every curved edge and drops ellipse outlines. SVG is Graphviz's own
// renderer either way.
func newPNGGraphviz(ctx context.Context) (*graphviz.Graphviz, error) {
	rp, err := gvc.NewRenderPlugin(ctx, string(PNG), &raster{faces: map[float64]font.Face{}})
	if err != nil {
		return nil, err
	}
	dp, err := gvc.PNGDevicePlugin(ctx)
	if err != nil {
		return nil, err
	}
	return graphviz.NewWithPlugins(ctx, rp, dp)
}

// raster draws one page with gg and hands Graphviz the PNG bytes. Shapes
// are filled with the fill colour when Graphviz says so and outlined with
// the pen colour; text is Go Regular.
type raster struct {
	gvc.DefaultRenderEngine
	dc     *gg.Context
	sx, sy float64
	faces  map[float64]font.Face
	// inEdge is set while Graphviz draws an edge.
	inEdge bool
}

// BeginEdge notes that an edge is being drawn.
func (r *raster) BeginEdge(context.Context, *gvc.Job) error { r.inEdge = true; return nil }

// EndEdge notes that the edge is done.
func (r *raster) EndEdge(context.Context, *gvc.Job) error { r.inEdge = false; return nil }

// BeginPage starts a white canvas of the job's size, translated and
// scaled as the job says.
func (r *raster) BeginPage(_ context.Context, job *gvc.Job) error {
	r.dc = gg.NewContext(int(job.Width()), int(job.Height()))
	r.dc.SetRGB(1, 1, 1)
	r.dc.Clear()
	s, t := job.Scale(), job.Translation()
	r.sx, r.sy = s.X(), s.Y()
	r.dc.Translate(r.sx*t.X(), -r.sy*t.Y())
	return nil
}

// EndPage encodes the canvas as the job's output.
func (r *raster) EndPage(_ context.Context, job *gvc.Job) error {
	var buf bytes.Buffer
	if err := r.dc.EncodePNG(&buf); err != nil {
		return fmt.Errorf("encoding PNG: %w", err)
	}
	job.SetOutputData(buf.Bytes())
	job.SetOutputDataPosition(uint(buf.Len()))
	return nil
}

// at maps a Graphviz point (y up) onto the canvas (y down).
func (r *raster) at(p *gvc.PointFloat) (float64, float64) {
	return r.sx * p.X(), -r.sy * p.Y()
}

// paint fills the current path when filled, then strokes it with the pen.
func (r *raster) paint(job *gvc.Job, filled bool) {
	o := job.Object()
	if filled {
		if c := o.FillColor().RGBAUint(); c[3] > 0 {
			r.dc.SetRGBA255(int(c[0]), int(c[1]), int(c[2]), int(c[3]))
			r.dc.FillPreserve()
		}
	}
	if o.Pen() == gvc.PenNone {
		r.dc.ClearPath()
		return
	}
	switch o.Pen() {
	case gvc.PenDashed:
		r.dc.SetDash(5*r.sx, 3*r.sx)
	case gvc.PenDotted:
		r.dc.SetDash(1.5*r.sx, 3*r.sx)
	default:
		r.dc.SetDash()
	}
	c := o.PenColor().RGBAUint()
	r.dc.SetRGBA255(int(c[0]), int(c[1]), int(c[2]), int(c[3]))
	r.dc.SetLineWidth(math.Max(o.PenWidth()*r.sx, 0.5))
	r.dc.Stroke()
}

// Ellipse draws the ellipse centred on p[0] through the corner p[1].
func (r *raster) Ellipse(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	if len(p) < 2 {
		return nil
	}
	cx, cy := r.at(p[0])
	x1, y1 := r.at(p[1])
	r.dc.NewSubPath()
	r.dc.DrawEllipse(cx, cy, math.Abs(x1-cx), math.Abs(y1-cy))
	r.paint(job, filled)
	return nil
}

// Polygon draws a closed polygon.
func (r *raster) Polygon(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	r.path(p, false)
	r.dc.ClosePath()
	r.paint(job, filled)
	return nil
}

// Polyline draws an open line.
func (r *raster) Polyline(_ context.Context, job *gvc.Job, p []*gvc.PointFloat) error {
	r.path(p, false)
	r.paint(job, false)
	return nil
}

// BezierCurve draws a chain of cubic Bézier segments. The splines of an
// edge are never filled: through go-graphviz they arrive marked filled.
func (r *raster) BezierCurve(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	r.path(p, true)
	r.paint(job, filled && !r.inEdge)
	return nil
}

// path starts a new path through p: straight segments, or cubic ones
// taking the points three at a time after the first.
func (r *raster) path(p []*gvc.PointFloat, cubic bool) {
	r.dc.NewSubPath()
	if len(p) == 0 {
		return
	}
	r.dc.MoveTo(r.at(p[0]))
	if !cubic {
		for _, q := range p[1:] {
			r.dc.LineTo(r.at(q))
		}
		return
	}
	for i := 1; i+2 < len(p); i += 3 {
		x1, y1 := r.at(p[i])
		x2, y2 := r.at(p[i+1])
		x3, y3 := r.at(p[i+2])
		r.dc.CubicTo(x1, y1, x2, y2, x3, y3)
	}
}

// TextSpan draws one line of text in the pen colour, justified as
// Graphviz laid it out.
func (r *raster) TextSpan(_ context.Context, job *gvc.Job, p *gvc.PointFloat, span *gvc.TextSpan) error {
	face, err := r.face(span.Font().Size() * job.Zoom())
	if err != nil {
		return err
	}
	x := r.sx * p.X()
	w := r.sx * span.Size().X()
	switch span.Just() {
	case 'r':
		x -= w
	case 'l':
	default:
		x -= w / 2
	}
	y := -r.sy * (p.Y() + span.YOffsetCenterLine() + span.YOffsetLayout())
	c := job.Object().PenColor().RGBAUint()
	r.dc.SetRGBA255(int(c[0]), int(c[1]), int(c[2]), int(c[3]))
	r.dc.SetFontFace(face)
	r.dc.DrawString(span.Text(), x, y)
	return nil
}

// face is Go Regular at a size, parsed once per size.
func (r *raster) face(size float64) (font.Face, error) {
	if f, ok := r.faces[size]; ok {
		return f, nil
	}
	ft, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("loading the font: %w", err)
	}
	f := truetype.NewFace(ft, &truetype.Options{Size: size})
	r.faces[size] = f
	return f, nil
}
