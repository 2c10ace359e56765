// A tiny fixture in the format of tencentcloud-sdk-go-intl-en's client.go, written for
// these tests: two actions, each with its context twin.

package v20200101

// StartThing
// Starts a thing.
//
// error code that may be returned:
//  FAILEDOPERATION_BUSY = "FailedOperation.Busy"
//  INTERNALERROR = "InternalError"
//  INVALIDPARAMETERVALUE_RANGE = "InvalidParameterValue.Range"
//  INVALIDPARAMETERVALUERANGE = "InvalidParameterValueRange"
func (c *Client) StartThing(request *StartThingRequest) (response *StartThingResponse, err error) {
    return c.StartThingWithContext(context.Background(), request)
}

// StartThing
// Starts a thing.
//
// error code that may be returned:
//  FAILEDOPERATION_BUSY = "FailedOperation.Busy"
//  INTERNALERROR = "InternalError"
//  INVALIDPARAMETERVALUE_RANGE = "InvalidParameterValue.Range"
//  INVALIDPARAMETERVALUERANGE = "InvalidParameterValueRange"
func (c *Client) StartThingWithContext(ctx context.Context, request *StartThingRequest) (response *StartThingResponse, err error) {
    return
}

// StopThing
// Stops a thing. No codes are listed for it.
func (c *Client) StopThing(request *StopThingRequest) (response *StopThingResponse, err error) {
    return c.StopThingWithContext(context.Background(), request)
}
