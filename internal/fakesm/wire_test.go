package fakesm

import (
	"encoding/json"
	"reflect"
	"testing"

	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServedDecodingReadsEveryMemberTheSDKWrites fills every member of every
// served operation's input, has the SDK's own serializer write it (as a
// client sends it), and decodes it as the served fake does: what arrives is
// what was sent, member for member.
func TestServedDecodingReadsEveryMemberTheSDKWrites(t *testing.T) {
	for name, op := range operations {
		t.Run(name, func(t *testing.T) {
			sent := reflect.New(op.input)
			fill(sent.Elem())
			w := &jsonShapeWriter{}
			sent.Interface().(smithy.Serializable).Serialize(w)
			received := reflect.New(op.input)
			require.NoError(t, json.Unmarshal(w.Bytes(), received.Interface()), string(w.Bytes()))
			assert.Equal(t, sent.Interface(), received.Interface(), string(w.Bytes()))
		})
	}
}

// fill sets every exported field of v to a value that is not its zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString("value-of-" + v.Type().Name())
	case reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte{0, 1, 0xff})
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	default:
		panic("fill: no value for " + v.Type().String())
	}
}
