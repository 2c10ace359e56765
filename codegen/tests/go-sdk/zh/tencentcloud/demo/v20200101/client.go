// A tiny fixture in the format of tencentcloud-sdk-go's client.go (China site, Chinese).

package v20200101

// StartThing
// 启动。
//
// 可能返回的错误码:
//  FAILEDOPERATION_BUSY = "FailedOperation.Busy"
//  INVALIDPARAMETERVALUERANGE = "InvalidParameterValueRange"
func (c *Client) StartThing(request *StartThingRequest) (response *StartThingResponse, err error) {
    return c.StartThingWithContext(context.Background(), request)
}

// StopThing
// 停止。
//
// 可能返回的错误码:
//  RESOURCENOTFOUND_THING = "ResourceNotFound.Thing"
func (c *Client) StopThingWithContext(ctx context.Context, request *StopThingRequest) (response *StopThingResponse, err error) {
    return
}
