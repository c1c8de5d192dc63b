package fakesm

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"time"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
)

// The wire format of Secrets Manager (AWS JSON 1.1), for the served fake
// (serve.go).
//
// Answers are encoded by the SDK's own serializers: every output type of
// aws-sdk-go-v2's secretsmanager has Serialize(smithy.ShapeSerializer), which
// names each member as the service model does. jsonShapeWriter is the
// ShapeSerializer they write into; it builds the JSON AWS JSON 1.1 uses:
// member names as keys, timestamps as epoch seconds (JSON numbers), blobs
// base64. smithy-go's own JSON serializer is internal to smithy-go, hence this
// one.
//
// Requests are decoded with encoding/json into the SDK's input types, whose
// field names are the model's member names and whose types are JSON's
// (strings, numbers, booleans, lists, structures; SecretBinary is []byte,
// base64 in JSON as in encoding/json). Inputs carry no timestamps. One
// laxity: encoding/json matches member names regardless of case, where AWS
// ignores a member whose case differs.

// jsonShapeWriter implements smithy.ShapeSerializer by building a tree of
// JSON values (objects, arrays, scalars), marshalled by Bytes.
type jsonShapeWriter struct {
	root  any
	stack []*jsonContainer
}

// jsonContainer is an object or array being written, and, in an object that
// is a map, the key of the value written next.
type jsonContainer struct {
	object  map[string]any
	array   *[]any
	isMap   bool
	nextKey *string
}

var _ smithy.ShapeSerializer = (*jsonShapeWriter)(nil)

func (w *jsonShapeWriter) put(schema *smithy.Schema, v any) {
	if len(w.stack) == 0 {
		w.root = v
		return
	}
	top := w.stack[len(w.stack)-1]
	switch {
	case top.array != nil:
		*top.array = append(*top.array, v)
	case top.isMap:
		if top.nextKey == nil {
			panic("fakesm: a map value written without its key")
		}
		top.object[*top.nextKey] = v
		top.nextKey = nil
	default:
		top.object[schema.MemberName()] = v
	}
}

// Bytes returns the JSON written, or "{}" when nothing was.
func (w *jsonShapeWriter) Bytes() []byte {
	if w.root == nil {
		return []byte("{}")
	}
	b, err := json.Marshal(w.root)
	if err != nil {
		// The tree holds only maps, slices, strings, numbers and booleans.
		panic(fmt.Sprintf("fakesm: marshalling an answer: %v", err))
	}
	return b
}

func (w *jsonShapeWriter) WriteInt8(s *smithy.Schema, v int8)       { w.put(s, v) }
func (w *jsonShapeWriter) WriteInt16(s *smithy.Schema, v int16)     { w.put(s, v) }
func (w *jsonShapeWriter) WriteInt32(s *smithy.Schema, v int32)     { w.put(s, v) }
func (w *jsonShapeWriter) WriteInt64(s *smithy.Schema, v int64)     { w.put(s, v) }
func (w *jsonShapeWriter) WriteFloat32(s *smithy.Schema, v float32) { w.put(s, v) }
func (w *jsonShapeWriter) WriteFloat64(s *smithy.Schema, v float64) { w.put(s, v) }
func (w *jsonShapeWriter) WriteBool(s *smithy.Schema, v bool)       { w.put(s, v) }
func (w *jsonShapeWriter) WriteString(s *smithy.Schema, v string)   { w.put(s, v) }
func (w *jsonShapeWriter) WriteNil(s *smithy.Schema)                { w.put(s, nil) }

func (w *jsonShapeWriter) WriteBigInt(s *smithy.Schema, v *big.Int) {
	w.put(s, json.Number(v.String()))
}

func (w *jsonShapeWriter) WriteBigFloat(s *smithy.Schema, v *big.Float) {
	w.put(s, json.Number(v.Text('g', -1)))
}

func (w *jsonShapeWriter) WriteBlob(s *smithy.Schema, v []byte) {
	w.put(s, base64.StdEncoding.EncodeToString(v))
}

// WriteTime writes epoch seconds with milliseconds, as AWS answers
// (e.g. 1523477145.713); no Secrets Manager member has another format.
func (w *jsonShapeWriter) WriteTime(s *smithy.Schema, v time.Time) {
	w.put(s, json.Number(strconv.FormatFloat(float64(v.UnixMilli())/1000, 'f', -1, 64)))
}

func (w *jsonShapeWriter) WriteDocument(s *smithy.Schema, _ document.Value) {
	// Secrets Manager's model has no document members.
	panic(fmt.Sprintf("fakesm: document member %s is not modelled", s.MemberName()))
}

func (w *jsonShapeWriter) WriteUnion(schema, _ *smithy.Schema) {
	// Secrets Manager's model has no unions.
	panic(fmt.Sprintf("fakesm: union member %s is not modelled", schema.MemberName()))
}
func (w *jsonShapeWriter) CloseUnion() {}

func (w *jsonShapeWriter) open(s *smithy.Schema, c *jsonContainer, v any) {
	w.put(s, v)
	w.stack = append(w.stack, c)
}

func (w *jsonShapeWriter) close() { w.stack = w.stack[:len(w.stack)-1] }

func (w *jsonShapeWriter) WriteStruct(s *smithy.Schema) {
	c := &jsonContainer{object: map[string]any{}}
	w.open(s, c, c.object)
}
func (w *jsonShapeWriter) CloseStruct() { w.close() }

func (w *jsonShapeWriter) WriteList(s *smithy.Schema) {
	items := []any{}
	c := &jsonContainer{array: &items}
	w.open(s, c, c.array)
}
func (w *jsonShapeWriter) CloseList() { w.close() }

func (w *jsonShapeWriter) WriteMap(s *smithy.Schema) {
	c := &jsonContainer{object: map[string]any{}, isMap: true}
	w.open(s, c, c.object)
}
func (w *jsonShapeWriter) WriteKey(_ *smithy.Schema, key string) {
	w.stack[len(w.stack)-1].nextKey = &key
}
func (w *jsonShapeWriter) CloseMap() { w.close() }
